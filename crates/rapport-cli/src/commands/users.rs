//! `rapport users`, `rapport reasons`: the people who use Rapport and the codes they choose from.

use rapport_domain::{EmailAddress, Role, UserRecord};
use rapport_store::{ReasonCodeEntry, Store};

use crate::cli::{ReasonsCommand, UsersCommand};
use crate::failure::bad_input;

pub fn users(store: &dyn Store, command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::Add { email, role, name, team } => {
            let email = EmailAddress::parse(&email).map_err(|e| bad_input(e.to_string()))?;
            let role =
                Role::parse(&role).ok_or_else(|| bad_input(format!("--role: unknown role `{role}`")))?;
            let name =
                name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned());
            let user = store.upsert_user(&UserRecord { email, name, team, role })?;
            println!("user {} ({}) is {}", user.record.email, user.record.name, user.record.role.as_str());
        }
        UsersCommand::List { json } => {
            let users = store.list_users()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for user in users {
                    let team = user.record.team.as_deref().unwrap_or("-");
                    println!(
                        "{:<36} {:<14} {:<8} {}",
                        user.record.email.as_str(),
                        user.record.role.as_str(),
                        team,
                        user.record.name
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn reasons(store: &dyn Store, command: ReasonsCommand) -> anyhow::Result<()> {
    match command {
        ReasonsCommand::List => {
            for entry in store.rejection_reasons()? {
                println!("{:<16} {}", entry.code, entry.label);
            }
        }
        ReasonsCommand::Add { code, label } => {
            let valid = !code.is_empty()
                && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return Err(bad_input(format!(
                    "reason code `{code}`: use lower-case letters, digits and `_`"
                )));
            }
            store.put_rejection_reason(&ReasonCodeEntry { code: code.clone(), label })?;
            println!("reason `{code}` saved");
        }
    }
    Ok(())
}
