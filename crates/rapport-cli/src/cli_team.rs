//! Arguments of `rapport report team`: the interaction stats per rep with the team average
//! and each rep's trend.

use clap::{Args, ValueEnum};

use crate::cli_scoring::ActingUser;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TeamPeriodArg {
    Month,
    Week,
}

#[derive(Debug, Args)]
pub struct TeamArgs {
    /// Calls from this date on (default: all analysed calls).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Calls before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The length of each trend's periods.
    #[arg(long, value_enum, default_value = "month")]
    pub by: TeamPeriodArg,
    /// Only this rep's row (the team average stays the team's).
    #[arg(long, value_name = "EMAIL")]
    pub rep: Option<String>,
    /// Only the calls of this team's reps.
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,
    /// See what this user sees (their calls or their team's); default: every call.
    #[command(flatten)]
    pub user: ActingUser,
    #[arg(long)]
    pub json: bool,
}
