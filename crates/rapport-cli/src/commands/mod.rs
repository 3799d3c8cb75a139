//! One module per command; `run` loads the configuration, opens the store and dispatches.

mod demo;
mod import;
mod lead;
mod report;
mod serve;
mod tokens;
mod users;

use crate::cli::{Cli, Command};
use crate::config::{Config, Overrides};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let overrides =
        Overrides { config_file: cli.config, data_dir: cli.data_dir, database_url: cli.database_url };
    let config = Config::load(&overrides)?;
    tracing::debug!(?config, "configuration loaded");
    if let Command::Demo(args) = cli.command {
        // The demo creates its data directory; every other command expects a workspace.
        return demo::demo(&config, args);
    }
    let store = crate::store::open(&config)?;
    match cli.command {
        Command::Demo(_) => unreachable!("handled above"),
        Command::Serve(args) => serve::serve(&config, store, args.bind.as_deref()),
        Command::Import(args) => import::import(&*store, args),
        Command::Export(args) => import::export(&*store, args),
        Command::Lead(command) => lead::lead(&*store, command),
        Command::Report(command) => report::report(&*store, &config, command),
        Command::Users(command) => users::users(&*store, command),
        Command::Tokens(command) => tokens::tokens(&*store, command),
        Command::Reasons(command) => users::reasons(&*store, command),
    }
}
