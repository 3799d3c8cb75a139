//! The command-line grammar. `rapport --help` documents every command from these doc comments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::cli_calls::{CallsCommand, JobsCommand, TranscribeArgs, WorkerArgs};
pub use crate::cli_scoring::{AccountsCommand, DefinitionCommand, ScoringCommand};
pub use crate::cli_search::{SearchArgs, TrackersCommand, VocArgs};
pub use crate::cli_topics::TopicsCommand;

/// Rapport: one set of facts for marketing and sales — lead lifecycle and handoff, funnel
/// analytics, calls and lead scoring, self-hosted.
#[derive(Debug, Parser)]
#[command(name = "rapport", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Directory for the embedded database and other data.
    #[arg(long, global = true, value_name = "DIR", env = "RAPPORT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: `postgres://user@host/db` for PostgreSQL, or a SQLite file path.
    /// Overrides the data directory's embedded database.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Configuration file (TOML); defaults to DATA_DIR/rapport.toml when it exists.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a realistic demo workspace and serve it.
    Demo(DemoArgs),
    /// Run the HTTP server (JSON API).
    Serve(ServeArgs),
    /// Import a CSV file (people, accounts, touches, opportunities, campaigns, content).
    Import(ImportArgs),
    /// Export records as CSV, in the columns `import` reads back.
    Export(ExportArgs),
    /// Show a lead or move it through the handoff.
    #[command(subcommand)]
    Lead(LeadCommand),
    /// Funnel and attribution reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Manage users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Manage the rejection reason codes sales chooses from.
    #[command(subcommand)]
    Reasons(ReasonsCommand),
    /// Transcribe a recording on this machine and print the transcript (no database).
    Transcribe(TranscribeArgs),
    /// Interaction stats of one transcript file, on this machine alone (no database).
    Analyze(AnalyzeArgs),
    /// Add sales calls (a recording or a transcript) and read their transcripts.
    #[command(subcommand)]
    Calls(CallsCommand),
    /// The background job queue (call transcriptions).
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Transcribe queued calls until Ctrl-C (run any number, on any machine, against one
    /// PostgreSQL database).
    Worker(WorkerArgs),
    /// Predictive lead scoring: evaluate the model on any CRM export.
    #[command(subcommand)]
    Score(ScoreCommand),
    /// The shared lead definition: show, draft, backtest and approve versions.
    #[command(subcommand)]
    Definition(DefinitionCommand),
    /// Accounts ranked by fit and intent.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Conversation trackers (keyword phrases) stored as data; changes re-analyse the calls.
    #[command(subcommand)]
    Trackers(TrackersCommand),
    /// Full-text search over stored transcripts, with filters.
    Search(SearchArgs),
    /// Smart trackers: concepts learned from example sentences (no database).
    #[command(subcommand)]
    SmartTrackers(SmartTrackersCommand),
    /// Topics discovered across the stored calls (needs an embedding model).
    #[command(subcommand)]
    Topics(TopicsCommand),
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The transcript: WebVTT, SRT, Whisper, Amazon Transcribe, Deepgram, AssemblyAI or
    /// Rapport JSON.
    pub file: PathBuf,
    /// A rep's name or email (repeatable); other speakers are then customers. Without it,
    /// roles come from the file (Rapport JSON), else every speaker counts as a customer.
    #[arg(long, value_name = "NAME")]
    pub rep: Vec<String>,
    /// Keyword trackers (TOML, `[[tracker]]` tables) instead of the default set.
    #[arg(long, value_name = "FILE.toml")]
    pub trackers: Option<PathBuf>,
    /// A content library to find mentions of: CSV with `title`, `url`, `aliases` columns, or
    /// TOML `[[content]]` tables (chosen by the extension).
    #[arg(long, value_name = "FILE")]
    pub content: Option<PathBuf>,
    /// The call's date (YYYY-MM-DD), to resolve "next Tuesday" in next steps to a date.
    #[arg(long, value_name = "DATE")]
    pub call_date: Option<chrono::NaiveDate>,
    /// Keep emails, phone, card and id numbers in the output (redacted by default).
    #[arg(long)]
    pub no_redact: bool,
    /// Print JSON (`utterances`, `stats`, `trackers`, `questions`, `topics`, `sentiment`,
    /// `next_steps`, `content_mentions`, `redactions`) instead of a readable report.
    #[arg(long)]
    pub json: bool,
    /// Sentence-embedding model (folder or Hugging Face id) for the default smart trackers;
    /// without one, smart trackers are skipped.
    #[arg(long, value_name = "DIR|HF_ID", env = "RAPPORT_EMBEDDING_MODEL")]
    pub embedding_model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    Tiny,
    Small,
    Medium,
    Large,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How much data to generate (large ≈ 1M people and 20M touches, for benchmarks).
    #[arg(long, value_enum, default_value = "small")]
    pub scale: Scale,
    /// Seed for the generator: the same seed and anchor give the same workspace.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Last day of the generated history (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE")]
    pub anchor: Option<String>,
    /// Generate only; do not start the server.
    #[arg(long)]
    pub no_serve: bool,
    /// Address to serve on.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080, or `bind` in the config).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// Transcription workers to run in the server process (default 1, or `workers` in the
    /// config); 0 leaves transcription to separate `rapport worker` processes.
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Mark the web app's session cookie `Secure`: use it when Rapport is served over HTTPS
    /// (directly or behind a TLS-terminating proxy).
    #[arg(long)]
    pub secure_cookies: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    People,
    Accounts,
    Touches,
    Opportunities,
    Campaigns,
    Content,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PresetArg {
    Hubspot,
    Salesforce,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: Kind,
    /// The CSV file (comma, semicolon or tab separated, UTF-8).
    pub file: PathBuf,
    /// Column names of a CRM's export.
    #[arg(long, value_enum)]
    pub preset: Option<PresetArg>,
    /// A TOML file mapping Rapport's columns to the file's headers.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Write nothing unless every row is valid.
    #[arg(long)]
    pub strict: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub kind: Kind,
    /// Where to write the CSV (`-` for standard output).
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Show a person: stage, history, recent touches.
    Show {
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Hand a lead to sales (MQL) and start the SLA clock.
    Handoff {
        email: String,
        /// The sales owner who receives it.
        #[arg(long, value_name = "EMAIL")]
        owner: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Sales accepts the lead (SAL).
    Accept {
        email: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Sales rejects the lead with a reason code.
    Reject {
        email: String,
        /// One of the configured codes (`rapport reasons list`).
        #[arg(long, value_name = "CODE")]
        reason: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Send the lead back to nurture.
    Recycle {
        email: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// A note kept on the event.
    #[arg(long)]
    pub note: Option<String>,
    /// Who makes the change (a user's email); recorded as the actor.
    #[arg(long = "as", value_name = "EMAIL")]
    pub actor: Option<String>,
    /// Record the change even if the lifecycle does not allow it (marked as forced).
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    Source,
    Campaign,
    Owner,
    Industry,
    SizeBand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    First,
    Last,
    Linear,
    W,
}

#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// First day of the period (default: 365 days before --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Day after the period's last day (default: tomorrow).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    #[arg(long)]
    pub source: Option<String>,
    /// Original campaign name.
    #[arg(long)]
    pub campaign: Option<String>,
    /// Owner's email.
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub industry: Option<String>,
    /// Company size band: 1-49, 50-199, 200-999, 1000-4999, 5000+.
    #[arg(long)]
    pub size_band: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Funnel: stage counts, conversion, MQL acceptance, SLA, rejection reasons, revenue.
    Funnel {
        #[command(flatten)]
        period: PeriodArgs,
        #[command(flatten)]
        filter: FilterArgs,
        /// Break every figure down by this attribute.
        #[arg(long, value_enum)]
        by: Option<GroupByArg>,
        #[arg(long)]
        json: bool,
    },
    /// Credit pipeline and won revenue to campaigns and content.
    Attribution {
        #[arg(long, value_enum, default_value = "w")]
        model: ModelArg,
        #[command(flatten)]
        period: PeriodArgs,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Voice of the customer: what buyers say (tracker shares of calls) by segment, won vs
    /// lost with lift and significance, by month, with quotes.
    Voc(VocArgs),
    /// Interaction stats per rep beside the team average, and each rep's trend by month or
    /// week (the calls the user may see).
    Team(crate::cli_team::TeamArgs),
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user or update their name, team and role.
    Add {
        email: String,
        #[arg(long, value_parser = ["admin", "marketing", "sales_manager", "sales_rep"])]
        role: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        team: Option<String>,
        /// Read the user's web password from the first line of standard input (for scripts:
        /// `printf '%s\n' "$PASSWORD" | rapport users add …`); at least 10 characters.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Create an API token for a user; it is shown once and stored only as a hash.
    Create {
        /// The user the token acts as.
        #[arg(long, value_name = "EMAIL")]
        user: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReasonsCommand {
    /// List rejection reason codes.
    List,
    /// Add a reason code, or relabel one.
    Add { code: String, label: String },
}

/// `rapport score …`: one variant per subcommand, each with its own args struct.
#[derive(Debug, Subcommand)]
pub enum ScoreCommand {
    /// Evaluate the scoring model on a CSV export with stratified k-fold cross-validation:
    /// AUC (mean and spread), log loss, lift at the top 10%, calibration and top features.
    /// Needs no database.
    Backtest(ScoreBacktestArgs),
    /// Train, explain, report and refresh the workspace's scores (see `cli_scoring`).
    #[command(flatten)]
    Workspace(ScoringCommand),
}

#[derive(Debug, Args)]
pub struct ScoreBacktestArgs {
    /// The CSV file (`,`, `;` or tab separated; blanks, NA, unknown, Select, -, ? are missing).
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
    /// The outcome column.
    #[arg(long, value_name = "COL")]
    pub target: String,
    /// The target value that counts as positive (default: yes, 1 or true).
    #[arg(long, value_name = "VALUE")]
    pub positive: Option<String>,
    /// A column identifying rows; never used as a feature.
    #[arg(long, value_name = "COL")]
    pub id: Option<String>,
    /// Columns to leave out, comma-separated (for example one that leaks the outcome).
    #[arg(long, value_name = "COL,…", value_delimiter = ',')]
    pub drop: Vec<String>,
    /// Number of folds.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=100))]
    pub folds: u16,
    /// Seed for the folds and the models' validation splits.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write each row's fold (one number per data row, in file order) to this file, so
    /// other tools can be evaluated on exactly the same folds.
    #[arg(long, value_name = "FILE")]
    pub write_folds: Option<PathBuf>,
}

// --- smart trackers (`rapport smart-trackers`) ---

#[derive(Debug, Subcommand)]
pub enum SmartTrackersCommand {
    /// The default smart trackers: name, side and number of examples.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Fit trackers from a TOML file (`[[smart_tracker]]` tables; default: the built-in set)
    /// and print each one's cross-validated precision, recall, F1 and threshold.
    Fit(SmartFitArgs),
    /// Fit trackers, then show their hits in a transcript.
    Test(SmartTestArgs),
}

#[derive(Debug, Args)]
pub struct SmartFitArgs {
    /// Trackers file (TOML); the built-in set when left out.
    pub file: Option<PathBuf>,
    /// Sentence-embedding model: a folder (config.json, tokenizer.json, model.safetensors) or
    /// a Hugging Face id, downloaded once into the Hugging Face cache (`HF_HOME`).
    #[arg(long, value_name = "DIR|HF_ID", env = "RAPPORT_EMBEDDING_MODEL", default_value = rapport_embed::DEFAULT_MODEL_ID)]
    pub embedding_model: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SmartTestArgs {
    #[command(flatten)]
    pub fit: SmartFitArgs,
    /// The transcript to look for hits in (any format `rapport analyze` reads).
    #[arg(long, value_name = "FILE")]
    pub transcript: PathBuf,
    /// A rep's name or email (repeatable), as for `rapport analyze`.
    #[arg(long, value_name = "NAME")]
    pub rep: Vec<String>,
}
