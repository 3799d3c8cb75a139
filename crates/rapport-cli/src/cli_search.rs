//! The command-line grammar of conversation analytics on stored calls: trackers as data,
//! transcript search and the voice-of-the-customer report.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum TrackersCommand {
    /// The workspace's trackers (the defaults are stored on first use).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add or replace the trackers of a TOML file (`[[tracker]]` tables); stored calls are
    /// re-analysed in the background by a worker (or at once with --now).
    Add {
        file: PathBuf,
        /// Re-analyse the stored calls now, in this process, instead of queueing the work.
        #[arg(long)]
        now: bool,
    },
    /// Remove a tracker and its hits.
    Remove { name: String },
    /// Run the trackers of a TOML file over a stored call or a transcript file; stores nothing.
    Test {
        file: PathBuf,
        /// A stored call's id.
        #[arg(long, value_name = "ID", conflicts_with = "transcript")]
        call: Option<i64>,
        /// A transcript file (any format `calls add` reads).
        #[arg(long, value_name = "FILE")]
        transcript: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Analyse every call whose analysis is missing or older than the trackers, now, with
    /// progress (what a worker does in the background after a tracker change).
    Reanalyze,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SideArg {
    Rep,
    Customer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomeArg {
    Won,
    Lost,
    Open,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words (all must occur, any order) and "quoted phrases"; other characters separate words.
    pub query: String,
    /// Only calls of this rep (a user's email).
    #[arg(long, value_name = "EMAIL")]
    pub rep: Option<String>,
    /// Only calls with this account (its domain).
    #[arg(long, value_name = "DOMAIN")]
    pub account: Option<String>,
    /// Calls from this date on.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Calls before this date (the day after the last day).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only calls with a hit of this tracker.
    #[arg(long, value_name = "NAME")]
    pub tracker: Option<String>,
    /// Only what this side said (unknown speakers count as customers).
    #[arg(long, value_enum)]
    pub side: Option<SideArg>,
    /// Only calls whose deal has this outcome (calls without a deal are open).
    #[arg(long, value_enum)]
    pub outcome: Option<OutcomeArg>,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    /// How many of the newest matches are ranked (default 2000, up to 100000): wider reaches
    /// older calls without a filter, and takes longer.
    #[arg(long, value_name = "N")]
    pub rank_window: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VocSegmentArg {
    Industry,
    SizeBand,
    Source,
    Campaign,
}

#[derive(Debug, Args)]
pub struct VocArgs {
    /// Break each tracker's share of calls down by this segment.
    #[arg(long, value_enum)]
    pub by: Option<VocSegmentArg>,
    /// Calls from this date on (default: all analysed calls).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Calls before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}
