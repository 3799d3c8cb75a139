//! `rapport users`, `rapport reasons`: the people who use Rapport and the codes they choose from.

use rapport_store::{ReasonCodeEntry, Store};

use crate::cli::{ReasonsCommand, UsersCommand};
use crate::failure::bad_input;

pub fn users(store: &dyn Store, command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::Add { email, role, name, team, password_stdin } => {
            let password = if password_stdin { Some(read_password()?) } else { None };
            if let Some(password) = &password {
                rapport_app::passwords::check_new(&email, password).map_err(|e| bad_input(e.to_string()))?;
            }
            let new = rapport_app::users::NewUser { email, role, name, team };
            let now = chrono::Utc::now();
            let user = rapport_app::users::add_audited(store, &new, None, now).map_err(app_error)?;
            if let Some(password) = password {
                rapport_app::passwords::set(store, user.record.email.as_str(), &password, None, now)
                    .map_err(app_error)?;
            }
            let login = if password_stdin { "; can log in to the web app" } else { "" };
            println!(
                "user {} ({}) is {}{login}",
                user.record.email,
                user.record.name,
                user.record.role.as_str()
            );
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

/// The first line of standard input, without its line ending; never echoed or logged.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(bad_input("--password-stdin: standard input held no password"));
    }
    Ok(password)
}

fn app_error(error: rapport_app::AppError) -> anyhow::Error {
    if error.is_user_error() {
        bad_input(error.to_string())
    } else {
        error.into()
    }
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
