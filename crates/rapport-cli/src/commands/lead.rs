//! `rapport lead`: show a person, and move a lead through the handoff.

use chrono::Utc;
use rapport_app::{leads, ChangeOptions};
use rapport_domain::{Actor, EmailAddress, EventSource, StageEvent};
use rapport_store::Store;

use crate::cli::{ChangeArgs, LeadCommand};
use crate::failure::bad_input;

pub fn lead(store: &dyn Store, command: LeadCommand) -> anyhow::Result<()> {
    let (event, email, json) = match command {
        LeadCommand::Show { email, json } => return show(store, &email, json),
        LeadCommand::Handoff { email, owner, change } => {
            let options = options(store, &change)?;
            (leads::handoff(store, &email, &owner, &options)?, email, change.json)
        }
        LeadCommand::Accept { email, change } => {
            (leads::accept(store, &email, &options(store, &change)?)?, email, change.json)
        }
        LeadCommand::Reject { email, reason, change } => {
            (leads::reject(store, &email, &reason, &options(store, &change)?)?, email, change.json)
        }
        LeadCommand::Recycle { email, change } => {
            (leads::recycle(store, &email, &options(store, &change)?)?, email, change.json)
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&event)?);
    } else {
        println!("{email}: {}", describe_event(&event));
    }
    Ok(())
}

/// The actor is the user named by `--as`, or Rapport itself for scripted changes.
fn options(store: &dyn Store, change: &ChangeArgs) -> anyhow::Result<ChangeOptions> {
    let actor = match &change.actor {
        None => Actor::System,
        Some(email) => {
            let parsed = EmailAddress::parse(email).map_err(|e| bad_input(format!("--as: {e}")))?;
            let user =
                store.user_by_email(&parsed)?.ok_or_else(|| bad_input(format!("--as: no user `{email}`")))?;
            Actor::User { id: user.id }
        }
    };
    Ok(ChangeOptions {
        actor,
        source: EventSource::Cli,
        note: change.note.clone(),
        force: change.force,
        at: Utc::now(),
    })
}

fn describe_event(event: &StageEvent) -> String {
    let from = event.from.map_or("no stage", |s| s.as_str());
    let mut text = format!("{from} → {}", event.to);
    if let Some(reason) = &event.reason {
        text.push_str(&format!(" (reason: {reason})"));
    }
    if event.forced {
        text.push_str(" [forced]");
    }
    text
}

fn show(store: &dyn Store, email: &str, json: bool) -> anyhow::Result<()> {
    let details = leads::show(store, email)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&details)?);
        return Ok(());
    }
    let person = &details.person;
    let record = &person.person.record;
    let name = [record.first_name.as_deref(), record.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    println!("{} {}", record.email, if name.is_empty() { String::new() } else { format!("({name})") });
    println!("  stage:   {}", person.stage.map_or("none", |s| s.as_str()));
    println!("  owner:   {}", person.owner_email.as_deref().unwrap_or("-"));
    println!("  account: {}", person.account.as_ref().map_or("-", |a| a.record.name.as_str()));
    println!("  source:  {}", record.source.as_deref().unwrap_or("-"));
    println!("history:");
    for event in &details.history {
        let note = event.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
        println!(
            "  {}  {} via {}{note}",
            event.at.format("%Y-%m-%d %H:%M"),
            describe_event(event),
            event.source.as_str()
        );
    }
    println!("recent touches:");
    for touch in &details.touches {
        let what = touch.campaign.as_deref().or(touch.content_url.as_deref()).unwrap_or("");
        println!("  {}  {:<16} {what}", touch.occurred_at.format("%Y-%m-%d %H:%M"), touch.kind.as_str());
    }
    Ok(())
}
