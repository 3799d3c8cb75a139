//! `rapport definition`: the shared lead definition's versions — show, list, draft, backtest,
//! approve.

use chrono::Utc;
use rapport_app::scoring::definitions;
use rapport_store::{DefinitionVersion, Store};

use super::acting;
use crate::cli_scoring::DefinitionCommand;
use crate::failure::bad_input;

pub fn definition(store: &dyn Store, command: DefinitionCommand) -> anyhow::Result<()> {
    match command {
        DefinitionCommand::Show { number, json } => {
            let shown = definitions::show(store, number)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&shown)?);
            } else {
                println!("# version {} ({})", shown.version, shown.status.as_str());
                print!("{}", shown.document);
            }
        }
        DefinitionCommand::List { json } => {
            let versions = store.definition_versions()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&versions)?);
            } else if versions.is_empty() {
                println!("no versions yet: scores use Rapport's default definition (rapport definition draft FILE)");
            } else {
                versions.iter().for_each(print_version);
            }
        }
        DefinitionCommand::Draft { file, comment, user } => {
            let author = acting::named(store, &user, "a draft records its author")?;
            let document =
                std::fs::read_to_string(&file).map_err(|e| bad_input(format!("{}: {e}", file.display())))?;
            let draft = definitions::draft(store, &author, &document, comment.as_deref(), Utc::now())
                .map_err(|e| anyhow::Error::new(e).context(file.display().to_string()))?;
            println!("draft version {} stored; it needs a marketing and a sales approval", draft.version);
        }
        DefinitionCommand::Backtest { number, json } => {
            let comparison = definitions::backtest(store, number, Utc::now())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&comparison)?);
                return Ok(());
            }
            println!(
                "{:<8} {:>6} {:>9} {:>9} {:>7}   active: {:>6} {:>9}",
                "month", "MQLs", "accepted", "opp", "won", "MQLs", "accepted"
            );
            let active_months = comparison.active.as_ref().map(|a| a.months.clone()).unwrap_or_default();
            let rows = comparison.draft.months.iter().chain(std::iter::once(&comparison.draft.total));
            for row in rows {
                let active = if row.month == "total" {
                    comparison.active.as_ref().map(|a| a.total.clone())
                } else {
                    active_months.iter().find(|m| m.month == row.month).cloned()
                };
                let (mqls, accepted) = active
                    .map_or(("-".into(), "-".into()), |a| (a.mqls.to_string(), percent(a.acceptance_rate)));
                println!(
                    "{:<8} {:>6} {:>9} {:>9} {:>7}   {:>14} {:>9}",
                    row.month,
                    row.mqls,
                    percent(row.acceptance_rate),
                    percent(row.opportunity_rate),
                    percent(row.win_rate),
                    mqls,
                    accepted
                );
            }
        }
        DefinitionCommand::Approve { number, user, side } => {
            let approver = acting::named(store, &user, "an approval records who gave it")?;
            let approved = definitions::approve(store, &approver, number, side.as_deref(), Utc::now())?;
            print_version(&approved);
        }
    }
    Ok(())
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("-".into(), |r| format!("{:.1}%", r * 100.0))
}

fn print_version(version: &DefinitionVersion) {
    let approvals: Vec<String> =
        version.approvals.iter().map(|a| format!("{} by {}", a.side.as_str(), a.user_email)).collect();
    println!(
        "{:>3}  {:<8} {}  by {}  {}  approvals: {}",
        version.version,
        version.status.as_str(),
        version.created_at.format("%Y-%m-%d %H:%M"),
        version.author_email.as_deref().unwrap_or("-"),
        version.comment.as_deref().unwrap_or(""),
        if approvals.is_empty() { "none".into() } else { approvals.join(", ") }
    );
}
