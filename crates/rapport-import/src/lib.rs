//! CSV import and export of Rapport's records (people, accounts, touches, opportunities,
//! campaigns, content), with HubSpot and Salesforce presets and custom TOML mappings.
//!
//! An edge crate: it reads and writes files and talks to storage only through
//! [`rapport_store::Store`] and [`rapport_store::WriteTx`]. Imports stream (the file is never
//! held whole), write in batches, and are idempotent: re-importing a file reports every row
//! unchanged and writes nothing. The canonical columns are listed in [`columns`](crate::columns).

mod columns;
mod error;
mod export;
mod header;
mod lines;
mod mapping;
mod preflight;
mod rows;
mod run;
mod spreadsheet;
mod values;

use serde::Serialize;

pub use error::{ImportError, RowError};
pub use export::export;
pub use mapping::{load_mapping, Mapping};
pub use run::import_file;

/// At most this many row errors are kept in a summary; all are counted.
pub const MAX_KEPT_ERRORS: usize = 1_000;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    People,
    Accounts,
    Touches,
    Opportunities,
    Campaigns,
    Content,
}

impl ImportKind {
    pub const ALL: [ImportKind; 6] =
        [Self::People, Self::Accounts, Self::Touches, Self::Opportunities, Self::Campaigns, Self::Content];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::People => "people",
            Self::Accounts => "accounts",
            Self::Touches => "touches",
            Self::Opportunities => "opportunities",
            Self::Campaigns => "campaigns",
            Self::Content => "content",
        }
    }

    /// The canonical column names, in the order export writes them.
    pub fn canonical_columns(self) -> Vec<&'static str> {
        columns::columns(self).iter().map(|column| column.name).collect()
    }
}

impl std::fmt::Display for ImportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ImportKind {
    type Err = ImportError;
    /// Accepts the kind names and the usual CRM words for them (`contacts`, `deals`, …).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Ok(match input.trim().to_ascii_lowercase().as_str() {
            "people" | "person" | "contacts" | "leads" => Self::People,
            "accounts" | "account" | "companies" => Self::Accounts,
            "touches" | "touch" | "activities" | "engagements" => Self::Touches,
            "opportunities" | "opportunity" | "deals" => Self::Opportunities,
            "campaigns" | "campaign" => Self::Campaigns,
            "content" | "contents" => Self::Content,
            _ => return Err(ImportError::UnknownKind(input.to_owned())),
        })
    }
}

/// Which CRM's export column names to recognise (canonical names are always recognised).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    #[default]
    Canonical,
    Hubspot,
    Salesforce,
}

impl std::str::FromStr for Preset {
    type Err = ImportError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Ok(match input.trim().to_ascii_lowercase().as_str() {
            "canonical" | "rapport" | "none" => Self::Canonical,
            "hubspot" => Self::Hubspot,
            "salesforce" | "sfdc" => Self::Salesforce,
            _ => return Err(ImportError::UnknownPreset(input.to_owned())),
        })
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub preset: Preset,
    pub mapping: Option<Mapping>,
    /// All or nothing: validate every row first, then import in one transaction that is
    /// rolled back if the store rejects any row.
    pub strict: bool,
    /// Rows per store call (and per commit outside strict mode).
    pub batch_size: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { preset: Preset::Canonical, mapping: None, strict: false, batch_size: 5_000 }
    }
}

/// Which pass an import is in; strict imports read the file twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Validating,
    Importing,
}

/// Reported after every batch, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub bytes_read: u64,
    pub total_bytes: u64,
    /// Data rows read so far in this pass.
    pub rows: u64,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub kind: ImportKind,
    /// Data rows read (blank rows are skipped and not counted).
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows not imported, by a parse error or a store rejection.
    pub failed: u64,
    /// The first [`MAX_KEPT_ERRORS`] row errors, in file order within each pass.
    pub errors: Vec<RowError>,
    /// True when a strict import wrote nothing because a row failed.
    pub rolled_back: bool,
}

impl ImportSummary {
    fn new(kind: ImportKind) -> Self {
        Self {
            kind,
            rows: 0,
            inserted: 0,
            updated: 0,
            unchanged: 0,
            failed: 0,
            errors: Vec::new(),
            rolled_back: false,
        }
    }

    fn push_error(&mut self, error: RowError) {
        self.failed += 1;
        self.errors.push(error);
    }

    /// Keeps the first [`MAX_KEPT_ERRORS`] errors in file order. Called after every batch: a
    /// batch's parse errors are found before its store rejections, so capping as errors come
    /// could keep a late parse error and drop an earlier rejection.
    fn settle_errors(&mut self) {
        self.errors.sort_by_key(|error| error.line);
        self.errors.truncate(MAX_KEPT_ERRORS);
    }
}
