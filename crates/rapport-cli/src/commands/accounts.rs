//! `rapport accounts top`: the target-account list with the reasons for each rank.

use rapport_app::scoring::accounts;
use rapport_store::Store;

use super::acting;
use crate::cli_scoring::AccountsCommand;

pub fn accounts(store: &dyn Store, command: AccountsCommand) -> anyhow::Result<()> {
    match command {
        AccountsCommand::Top { limit, json, user } => {
            let user = acting::or_operator(store, &user)?;
            let list = accounts::top(store, &user, limit)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            if list.is_empty() {
                println!("no scored accounts yet (rapport score refresh)");
            }
            for account in list {
                println!(
                    "{:>3}. {} ({})  score {:.2}",
                    account.rank,
                    account.name,
                    account.domain.as_deref().unwrap_or("-"),
                    account.score
                );
                for reason in &account.reasons {
                    println!("       {reason}");
                }
            }
        }
    }
    Ok(())
}
