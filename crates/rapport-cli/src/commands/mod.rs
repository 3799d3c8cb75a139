//! One module per command; `run` loads the configuration, opens the store and dispatches.

mod accounts;
mod acting;
mod analyze;
mod analyze_text;
mod calls;
mod definition;
mod demo;
mod demo_audio;
mod demo_scoring;
mod import;
mod lead;
mod report;
mod score;
mod score_backtest;
mod search;
mod serve;
mod smart;
mod team;
mod tokens;
mod topics;
mod trackers;
mod transcribe;
mod users;
mod voc;
mod worker;

use crate::cli::{Cli, Command, ScoreCommand};
use crate::config::{Config, Overrides};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let overrides =
        Overrides { config_file: cli.config, data_dir: cli.data_dir, database_url: cli.database_url };
    let config = Config::load(&overrides)?;
    tracing::debug!(?config, "configuration loaded");
    // Loaded on first use only: commands that analyse no call never pay for the model.
    rapport_app::smart::configure(config.embedding_settings());
    match cli.command {
        // The demo creates its data directory; every other command expects a workspace.
        Command::Demo(args) => return demo::demo(&config, args),
        // Standalone: no database.
        Command::Transcribe(args) => return transcribe::transcribe(&config, args),
        Command::Analyze(args) => return analyze::analyze(&args),
        Command::Score(ScoreCommand::Backtest(args)) => return score_backtest::backtest(&args),
        Command::SmartTrackers(command) => return smart::smart_trackers(command),
        _ => {}
    }
    let store = crate::store::open(&config)?;
    match cli.command {
        Command::Demo(_)
        | Command::Transcribe(_)
        | Command::Analyze(_)
        | Command::Score(ScoreCommand::Backtest(_))
        | Command::SmartTrackers(_) => {
            unreachable!("handled above")
        }
        Command::Serve(args) => serve::serve(&config, store, &args),
        Command::Import(args) => import::import(&*store, args),
        Command::Export(args) => import::export(&*store, args),
        Command::Lead(command) => lead::lead(&*store, command),
        Command::Report(command) => report::report(&*store, &config, command),
        Command::Users(command) => users::users(&*store, command),
        Command::Tokens(command) => tokens::tokens(&*store, command),
        Command::Reasons(command) => users::reasons(&*store, command),
        Command::Calls(command) => calls::calls(&*store, &config, command),
        Command::Jobs(command) => calls::jobs(&*store, command),
        Command::Worker(args) => worker::worker(store, &config, args),
        Command::Score(ScoreCommand::Workspace(command)) => score::score(&*store, command),
        Command::Definition(command) => definition::definition(&*store, command),
        Command::Accounts(command) => accounts::accounts(&*store, command),
        Command::Trackers(command) => trackers::trackers(&*store, command),
        Command::Search(args) => search::search(&*store, &args),
        Command::Topics(command) => topics::topics(&*store, command),
    }
}
