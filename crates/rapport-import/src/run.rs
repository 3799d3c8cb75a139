//! The import driver: streams a file through the parser into store batches, in non-strict mode
//! (commit every batch) or strict mode (validate everything, then one all-or-nothing transaction).

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

use csv::StringRecord;
use rapport_store::{RowResult, Store, StoreError, UpsertOutcome, WriteTx};

use crate::header::{resolve, Columns};
use crate::lines::LineCounter;
use crate::preflight::{preflight, FileShape};
use crate::rows::{Record, Row};
use crate::{ImportError, ImportKind, ImportOptions, ImportSummary, Phase, Preset, Progress, RowError};

/// Imports one CSV file of `kind` into `store`. File-level problems are an `Err` and write
/// nothing; row problems are counted and listed in the summary.
pub fn import_file(
    store: &dyn Store,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportSummary, ImportError> {
    let shape = preflight(path)?;
    let mut summary = ImportSummary::new(kind);
    let batch_size = options.batch_size.max(1);
    let store_error = |source: StoreError| ImportError::Store { path: path.to_path_buf(), source };
    if !options.strict {
        let mut stream = RowStream::open(path, shape, kind, options)?;
        while let Some(batch) = stream.next_batch(batch_size, &mut summary)? {
            let mut tx = store.begin_write().map_err(store_error)?;
            let results = upsert(tx.as_mut(), batch.records).map_err(store_error)?;
            tx.commit().map_err(store_error)?;
            summary.record_results(&stream.columns, &batch.lines, results);
            progress(&stream.progress(Phase::Importing, &summary));
        }
        return Ok(summary);
    }
    // Strict, pass 1: parse every row and write nothing, so a bad row costs no transaction.
    let mut stream = RowStream::open(path, shape, kind, options)?;
    while stream.next_batch(batch_size, &mut summary)?.is_some() {
        summary.settle_errors();
        progress(&stream.progress(Phase::Validating, &summary));
    }
    if summary.failed > 0 {
        summary.rolled_back = true;
        return Ok(summary);
    }
    // Pass 2: one transaction; any store rejection rolls all of it back.
    summary = ImportSummary::new(kind);
    let mut stream = RowStream::open(path, shape, kind, options)?;
    let mut tx = store.begin_write().map_err(store_error)?;
    while let Some(batch) = stream.next_batch(batch_size, &mut summary)? {
        let results = upsert(tx.as_mut(), batch.records).map_err(store_error)?;
        summary.record_results(&stream.columns, &batch.lines, results);
        progress(&stream.progress(Phase::Importing, &summary));
    }
    if summary.failed > 0 {
        drop(tx);
        summary.rolled_back = true;
        summary.inserted = 0;
        summary.updated = 0;
        summary.unchanged = 0;
    } else {
        tx.commit().map_err(store_error)?;
    }
    Ok(summary)
}

/// Parsed rows ready for one upsert call, with the line each came from.
#[derive(Debug)]
struct Batch {
    lines: Vec<u64>,
    records: Vec<Record>,
}

/// A CSV reader over the file (past the BOM) with the resolved header.
#[derive(Debug)]
struct RowStream {
    path: PathBuf,
    reader: csv::Reader<LineCounter<File>>,
    columns: Columns,
    cells: StringRecord,
    shape: FileShape,
    /// Whether to stop at the footer Salesforce's report exports end with.
    salesforce: bool,
    /// Set at the end of the data (the file's end or an export footer).
    finished: bool,
}

impl RowStream {
    fn open(
        path: &Path,
        shape: FileShape,
        kind: ImportKind,
        options: &ImportOptions,
    ) -> Result<Self, ImportError> {
        let read_error = |source| ImportError::Read { path: path.to_path_buf(), source };
        let mut file = File::open(path).map_err(read_error)?;
        file.seek(SeekFrom::Start(shape.bom_len)).map_err(read_error)?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(shape.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(256 * 1024)
            .from_reader(LineCounter::new(file));
        let mut header = StringRecord::new();
        let has_header = reader.read_record(&mut header).map_err(|error| csv_error(path, &error))?;
        if !has_header {
            return Err(ImportError::NoHeader { path: path.to_path_buf() });
        }
        let header: Vec<String> = header.iter().map(str::to_owned).collect();
        let mapping = options.mapping.as_ref().and_then(|mapping| mapping.for_kind(kind));
        let columns = resolve(path, kind, options.preset, mapping, &header)?;
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            columns,
            cells: StringRecord::new(),
            shape,
            salesforce: options.preset == Preset::Salesforce,
            finished: false,
        })
    }

    /// Reads up to `size` rows; parse errors go straight into `summary`. `None` at the end.
    fn next_batch(&mut self, size: usize, summary: &mut ImportSummary) -> Result<Option<Batch>, ImportError> {
        let mut batch = Batch { lines: Vec::with_capacity(size), records: Vec::with_capacity(size) };
        let mut rows_seen = 0;
        while rows_seen < size && !self.finished {
            let more =
                self.reader.read_record(&mut self.cells).map_err(|error| csv_error(&self.path, &error))?;
            if !more || (self.salesforce && is_salesforce_footer(&self.cells)) {
                self.finished = true;
                break;
            }
            if self.cells.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            rows_seen += 1;
            summary.rows += 1;
            let start = self.cells.position().map_or(0, csv::Position::byte);
            let line = self.reader.get_mut().line_at(start);
            let row = Row { cells: &self.cells, columns: &self.columns, line };
            match row.to_record() {
                Ok(record) => {
                    batch.lines.push(line);
                    batch.records.push(record);
                }
                Err(error) => summary.push_error(error),
            }
        }
        Ok((rows_seen > 0).then_some(batch))
    }

    fn progress(&self, phase: Phase, summary: &ImportSummary) -> Progress {
        let bytes_read = self.shape.bom_len + self.reader.position().byte();
        Progress {
            phase,
            bytes_read: bytes_read.min(self.shape.total_bytes),
            total_bytes: self.shape.total_bytes,
            rows: summary.rows,
        }
    }
}

/// The first line of the footer a Salesforce report export appends after the data (a
/// copyright line, then "Confidential Information", "Generated By" and the company's name, one
/// cell each). Read as rows, each would be reported bad, and a strict import would fail.
fn is_salesforce_footer(cells: &StringRecord) -> bool {
    let mut filled = cells.iter().map(str::trim).filter(|cell| !cell.is_empty());
    let first = filled.next().unwrap_or_default();
    filled.next().is_none() && first.starts_with("Copyright (c)") && first.contains("salesforce.com")
}

fn csv_error(path: &Path, error: &csv::Error) -> ImportError {
    let line = error.position().map_or(0, csv::Position::line);
    ImportError::Csv { path: path.to_path_buf(), line, message: error.to_string() }
}

/// Hands a batch to the store; the records are all of the batch's kind.
fn upsert(tx: &mut dyn WriteTx, records: Vec<Record>) -> Result<Vec<RowResult>, StoreError> {
    macro_rules! upsert_as {
        ($variant:ident, $method:ident) => {{
            let rows: Vec<_> = records
                .into_iter()
                .filter_map(|r| if let Record::$variant(x) = r { Some(x) } else { None })
                .collect();
            tx.$method(&rows)
        }};
    }
    match records.first() {
        None => Ok(Vec::new()),
        Some(Record::Person(_)) => upsert_as!(Person, upsert_people),
        Some(Record::Account(_)) => upsert_as!(Account, upsert_accounts),
        Some(Record::Touch(_)) => upsert_as!(Touch, upsert_touches),
        Some(Record::Opportunity(_)) => upsert_as!(Opportunity, upsert_opportunities),
        Some(Record::Campaign(_)) => upsert_as!(Campaign, upsert_campaigns),
        Some(Record::Content(_)) => upsert_as!(Content, upsert_content),
    }
}

/// Store field names that differ from the canonical column they come from.
const STORE_FIELD_COLUMNS: &[(&str, &str)] = &[
    ("owner", "owner_email"),
    ("account", "account_domain"),
    ("person", "email"),
    ("content", "content_url"),
    ("primary_contact", "primary_contact_email"),
    ("contacts", "contact_emails"),
    ("amount_cents", "amount"),
    ("stage_history", "lifecycle_stage"),
];

impl ImportSummary {
    fn record_results(&mut self, columns: &Columns, lines: &[u64], results: Vec<RowResult>) {
        for (index, result) in results.into_iter().enumerate() {
            match result {
                Ok(UpsertOutcome::Inserted) => self.inserted += 1,
                Ok(UpsertOutcome::Updated) => self.updated += 1,
                Ok(UpsertOutcome::Unchanged) => self.unchanged += 1,
                Err(rejection) => {
                    let field = STORE_FIELD_COLUMNS
                        .iter()
                        .find(|(store_field, _)| *store_field == rejection.field)
                        .map_or(rejection.field.as_str(), |(_, column)| column);
                    self.push_error(RowError {
                        line: lines.get(index).copied().unwrap_or(0),
                        column: columns.get(field).and_then(|column| column.header.clone()),
                        field: field.to_owned(),
                        message: rejection.message,
                    });
                }
            }
        }
        self.settle_errors();
    }
}
