//! File-level import errors (the whole file is refused) and row-level errors (one row skipped).

use std::path::PathBuf;

use rapport_store::StoreError;
use serde::Serialize;

/// Why a file could not be imported (or an export could not be written). Every message names
/// the file, because admins import several at once and need to know which one to fix.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{} is empty: it has no header row and no data", path.display())]
    Empty { path: PathBuf },
    #[error("{} is not a CSV file: {reason}", path.display())]
    NotCsv { path: PathBuf, reason: String },
    #[error(
        "{} is not UTF-8 text: line {line} holds an invalid byte (byte {byte} of the line, offset {offset} in the file); \
         re-save the file as \"CSV UTF-8\" and import it again",
        path.display()
    )]
    NotUtf8 { path: PathBuf, line: u64, byte: u64, offset: u64 },
    #[error("{} has no header row: the first line is blank", path.display())]
    NoHeader { path: PathBuf },
    #[error(
        "{} has no header row: its first line holds data ({}); add a first line naming the columns \
         (`rapport export {kind} -` prints Rapport's own)",
        path.display(),
        quote_list(first_line)
    )]
    HeaderIsData { path: PathBuf, kind: &'static str, first_line: Vec<String> },
    #[error(
        "{} has no `{column}` column, which {kind} need (looked for a header named {}); the header found is: {}",
        path.display(),
        quote_list(looked_for),
        quote_list(found)
    )]
    MissingColumn {
        path: PathBuf,
        kind: &'static str,
        column: &'static str,
        looked_for: Vec<String>,
        found: Vec<String>,
    },
    #[error("{}, line {line}: cannot read the CSV: {message}", path.display())]
    Csv { path: PathBuf, line: u64, message: String },
    #[error("mapping file {}, line {line}: {message}", path.display())]
    Mapping { path: PathBuf, line: u64, message: String },
    #[error("storage failed while importing {}: {source}", path.display())]
    Store { path: PathBuf, source: StoreError },
    #[error("storage failed while exporting {kind}: {source}")]
    ExportStore { kind: &'static str, source: StoreError },
    #[error("cannot write the {kind} export: {source}")]
    Write { kind: &'static str, source: std::io::Error },
    #[error("`{0}` is not something Rapport imports (one of: people, accounts, touches, opportunities, campaigns, content)")]
    UnknownKind(String),
    #[error("`{0}` is not an import preset (one of: canonical, hubspot, salesforce)")]
    UnknownPreset(String),
}

fn quote_list(items: &[String]) -> String {
    items.iter().map(|item| format!("\"{item}\"")).collect::<Vec<_>>().join(", ")
}

/// Why one row was not imported. `line` is the 1-based line of the file where the row starts
/// (a quoted field may span several lines); `column` is the header as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    /// The header text in the file, when the fault lies in one column.
    pub column: Option<String>,
    /// The canonical column (`email`, `occurred_at`, …) at fault.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column \"{}\": {}", self.line, column, self.message),
            None => write!(f, "line {}, {}: {}", self.line, self.field, self.message),
        }
    }
}
