//! The demo's scoring: the default lead definition drafted by the demo's marketer and
//! approved by marketing and the sales manager, a model trained on the demo's outcomes, and
//! everyone scored — so the web app shows scores, grades and reasons from the start.

use rapport_app::scoring::{self, definitions, Target, TrainOutcome};
use rapport_domain::{EmailAddress, Role, Timestamp, User};
use rapport_scoring::definition::DEFAULT_DEFINITION;
use rapport_store::Store;

fn demo_user(store: &dyn Store, summary: &rapport_demo::DemoSummary, role: Role) -> anyhow::Result<User> {
    let (email, _) = summary
        .users
        .iter()
        .find(|(_, r)| *r == role)
        .ok_or_else(|| anyhow::anyhow!("the demo has no {} user", role.as_str()))?;
    let parsed = EmailAddress::parse(email)?;
    store.user_by_email(&parsed)?.ok_or_else(|| anyhow::anyhow!("demo user {email} is missing"))
}

pub fn set_up(store: &dyn Store, summary: &rapport_demo::DemoSummary, now: Timestamp) -> anyhow::Result<()> {
    let marketer = demo_user(store, summary, Role::Marketing)?;
    let manager = demo_user(store, summary, Role::SalesManager)?;
    let draft = definitions::draft(
        store,
        &marketer,
        DEFAULT_DEFINITION,
        Some("Rapport's default, for the demo"),
        now,
    )?;
    definitions::approve(store, &marketer, draft.version, None, now)?;
    definitions::approve(store, &manager, draft.version, None, now)?;
    match scoring::train(store, &marketer, Target::Accepted, now)? {
        TrainOutcome::Trained { version, metrics } => eprintln!(
            "lead definition v{} approved by {} and {}; model v{version} predicts acceptance with AUC {:.3} on the latest handoffs",
            draft.version, marketer.record.email, manager.record.email, metrics.auc
        ),
        TrainOutcome::TooFewOutcomes { message, .. } => eprintln!("{message}"),
    }
    let refreshed = scoring::refresh_all(store, now)?;
    eprintln!("{} people scored, {} qualify as MQL", refreshed.people, refreshed.qualified);
    Ok(())
}
