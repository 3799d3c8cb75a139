//! The command-line grammar of lead scoring: the lead definition's versions, the model and
//! scores, and the target-account list.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// Who is acting: a user's email. Scoring commands that only read or recompute run with the
/// database's own rights without it; drafting and approving a definition need it.
#[derive(Debug, Args)]
pub struct ActingUser {
    #[arg(long = "as", value_name = "EMAIL")]
    pub actor: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DefinitionCommand {
    /// Show a version's TOML (the active one by default).
    Show {
        #[arg(value_name = "VERSION")]
        number: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Every version with its status and approvals.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Propose FILE (TOML) as a new draft version.
    Draft {
        file: PathBuf,
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        user: ActingUser,
    },
    /// MQLs per month the version would have produced on past history, with their
    /// acceptance, opportunity and win rates, next to the active version's.
    Backtest {
        #[arg(value_name = "VERSION")]
        number: i64,
        #[arg(long)]
        json: bool,
    },
    /// Approve a draft for your side (marketing, or sales); an admin names the side.
    Approve {
        #[arg(value_name = "VERSION")]
        number: i64,
        #[command(flatten)]
        user: ActingUser,
        /// `marketing` or `sales` (admins only).
        #[arg(long)]
        side: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    Accepted,
    Opportunity,
    Won,
}

#[derive(Debug, Subcommand)]
pub enum ScoringCommand {
    /// Train the model on the workspace's outcomes and store it with its metrics.
    Train {
        #[arg(long, value_enum, default_value = "accepted")]
        target: TargetArg,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        user: ActingUser,
    },
    /// A person's fit, engagement, probability and grade, with the reasons.
    Explain {
        email: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        user: ActingUser,
    },
    /// The model's accuracy (AUC, log loss, calibration, lift, conversion per grade), drift
    /// warnings and the spread of today's scores.
    Report {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        user: ActingUser,
    },
    /// Recompute and store every person's scores.
    Refresh {
        #[command(flatten)]
        user: ActingUser,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// The target-account list: accounts ranked by fit and intent, with reasons.
    Top {
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        user: ActingUser,
    },
}
