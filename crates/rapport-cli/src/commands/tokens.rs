//! `rapport tokens`: API tokens, shown once and stored only as a hash.

use rapport_store::Store;

use crate::cli::TokensCommand;

pub fn tokens(store: &dyn Store, command: TokensCommand) -> anyhow::Result<()> {
    match command {
        TokensCommand::Create { user, name } => {
            let created = rapport_app::tokens::create(store, &user, &name)?;
            // The token goes to standard output alone so scripts can capture it; the
            // explanation goes to standard error.
            eprintln!("API token `{name}` for {user} (shown once; Rapport keeps only its hash):");
            println!("{}", created.token);
        }
    }
    Ok(())
}
