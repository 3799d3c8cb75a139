//! The `rapport` command: parses arguments, loads configuration, runs one command and maps
//! failures to exit codes (0 ok, 1 failure, 2 bad usage or bad input).

mod cli;
mod cli_calls;
mod cli_scoring;
mod cli_search;
mod cli_team;
mod cli_topics;
mod commands;
mod config;
mod failure;
mod period;
mod progress;
mod store;

use clap::Parser;

fn main() {
    quiet_on_closed_pipe();
    let cli = cli::Cli::parse();
    init_tracing();
    let code = match commands::run(cli) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("error: {}", failure::describe(&error));
            failure::exit_code(&error)
        }
    };
    std::process::exit(code);
}

/// Logs go to standard error so that `--json` output on standard output stays clean.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAPPORT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,postgres=warn,tokio_postgres=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

/// `rapport calls list | head` closes our standard output early; that is not a crash, so exit
/// quietly (with the shell's usual status for SIGPIPE) instead of printing a panic.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
