//! Reading a CRM's CSV export into a feature table and outcome labels, for backtests on a
//! prospect's own data. Exports are messy, so this reader sniffs `;` / `,` / tab separators,
//! reads quoted fields, treats the usual placeholders ("", NA, unknown, Select, -, ?, …) as
//! missing, and decides per column whether it is numeric: when nearly all (95%) of its present
//! values parse as numbers; the few that do not become missing, and how many is reported.
//!
//! Errors name the file, and the line and column where there is one. Nothing is returned
//! half-read: any error means no dataset.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::model::Table;

/// Share of a column's present values that must parse as numbers for it to be numeric.
const NUMERIC_SHARE: f64 = 0.95;

/// Values that mean "nobody filled this in" (compared trimmed and case-insensitively).
const PLACEHOLDERS: &[&str] = &[
    "",
    "na",
    "n/a",
    "nan",
    "null",
    "unknown",
    "select",
    "(select)",
    "-- select --",
    "-",
    "--",
    "?",
    "#n/a",
];

/// Target values that count as positive when no `positive` is given.
const DEFAULT_POSITIVES: &[&str] = &["yes", "1", "true"];

/// Which column is the outcome and which to leave out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsvSpec {
    pub target: String,
    /// The target value meaning "positive"; default: yes, 1 or true (any case).
    pub positive: Option<String>,
    /// A column identifying rows (an email, a CRM id): kept apart, never a feature.
    pub id: Option<String>,
    /// Columns to leave out (a field that leaks the outcome, say).
    pub drop: Vec<String>,
}

/// A column where some present values did not fit the column's type and became missing.
#[derive(Debug, Clone, PartialEq)]
pub struct CoercedColumn {
    pub column: String,
    pub values: usize,
    /// One of the values, to show the user what kind of text it was.
    pub example: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CsvDataset {
    pub table: Table,
    pub labels: Vec<bool>,
    /// The id column's values, when one was named.
    pub ids: Option<Vec<String>>,
    pub delimiter: char,
    /// Numeric columns with values that did not parse (now missing).
    pub coerced: Vec<CoercedColumn>,
    /// Rows left out because their target was blank or a placeholder.
    pub rows_without_target: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: the file is empty", path.display())]
    Empty { path: PathBuf },
    #[error("{}: a header but no data rows", path.display())]
    NoRows { path: PathBuf },
    #[error("{}: line {line}, column {column}: not UTF-8 text (export the file as UTF-8)", path.display())]
    NotUtf8 { path: PathBuf, line: u64, column: String },
    #[error("{}: line {line}: {found} fields where the header has {expected}", path.display())]
    Ragged { path: PathBuf, line: u64, expected: usize, found: usize },
    #[error("{}: line {line}: {message}", path.display())]
    Malformed { path: PathBuf, line: u64, message: String },
    #[error("{}: line 1: column {column:?} appears twice in the header", path.display())]
    DuplicateColumn { path: PathBuf, column: String },
    #[error("{}: no {role} column {column:?}; the columns are {}", path.display(), available.join(", "))]
    UnknownColumn { path: PathBuf, role: &'static str, column: String, available: Vec<String> },
    #[error("{}: target column {target:?} has only {which} rows (values seen: {}){}", path.display(), seen.join(", "), if *.which == "negative" { "; name the positive value with --positive" } else { "" })]
    OneClass { path: PathBuf, target: String, which: &'static str, seen: Vec<String> },
    #[error("{}: no feature columns left after the target, id and dropped columns", path.display())]
    NoFeatures { path: PathBuf },
}

pub fn is_placeholder(value: &str) -> bool {
    let trimmed = value.trim();
    PLACEHOLDERS.iter().any(|placeholder| trimmed.eq_ignore_ascii_case(placeholder))
}

/// Reads `path` as described in the module docs.
pub fn read_csv(path: &Path, spec: &CsvSpec) -> Result<CsvDataset, CsvError> {
    let owned = || path.to_path_buf();
    let bytes = std::fs::read(path).map_err(|source| CsvError::Io { path: owned(), source })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::Empty { path: owned() });
    }
    let delimiter = sniff_delimiter(bytes);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(record) => record.map_err(|error| malformed(path, &error))?,
        None => return Err(CsvError::Empty { path: owned() }),
    };
    let mut names = Vec::with_capacity(header.len());
    for (index, field) in header.iter().enumerate() {
        let name = std::str::from_utf8(field)
            .map_err(|_| CsvError::NotUtf8 { path: owned(), line: 1, column: format!("{}", index + 1) })?
            .trim();
        let name = if name.is_empty() { format!("column {}", index + 1) } else { name.to_string() };
        if names.contains(&name) {
            return Err(CsvError::DuplicateColumn { path: owned(), column: name });
        }
        names.push(name);
    }
    let find = |role: &'static str, column: &str| -> Result<usize, CsvError> {
        names
            .iter()
            .position(|name| name == column)
            .or_else(|| names.iter().position(|name| name.eq_ignore_ascii_case(column)))
            .ok_or_else(|| CsvError::UnknownColumn {
                path: owned(),
                role,
                column: column.to_string(),
                available: names.clone(),
            })
    };
    let target = find("target", &spec.target)?;
    let id = spec.id.as_deref().map(|column| find("id", column)).transpose()?;
    let mut excluded: HashSet<usize> = HashSet::from([target]);
    excluded.extend(id);
    for column in &spec.drop {
        excluded.insert(find("--drop", column)?);
    }
    let features: Vec<usize> = (0..names.len()).filter(|index| !excluded.contains(index)).collect();
    if features.is_empty() {
        return Err(CsvError::NoFeatures { path: owned() });
    }

    let mut values: Vec<Vec<Option<String>>> = vec![Vec::new(); features.len()];
    let mut targets: Vec<String> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut rows_without_target = 0;
    for record in records {
        let record = record.map_err(|error| malformed(path, &error))?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() != names.len() {
            // A trailing empty line reads as one empty field; it is not a row.
            if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Err(CsvError::Ragged { path: owned(), line, expected: names.len(), found: record.len() });
        }
        let text = |index: usize| -> Result<&str, CsvError> {
            std::str::from_utf8(&record[index]).map_err(|_| CsvError::NotUtf8 {
                path: owned(),
                line,
                column: names[index].clone(),
            })
        };
        let target_value = text(target)?;
        if is_placeholder(target_value) {
            rows_without_target += 1;
            continue;
        }
        targets.push(target_value.trim().to_string());
        if let Some(id) = id {
            ids.push(text(id)?.trim().to_string());
        }
        for (slot, &column) in values.iter_mut().zip(&features) {
            let value = text(column)?;
            slot.push((!is_placeholder(value)).then(|| value.trim().to_string()));
        }
    }
    if targets.is_empty() {
        return Err(CsvError::NoRows { path: owned() });
    }
    let labels = label(path, &names[target], &targets, spec.positive.as_deref())?;
    let mut table = Table::new();
    let mut coerced = Vec::new();
    for (column_values, &column) in values.into_iter().zip(&features) {
        push_column(&mut table, &names[column], column_values, &mut coerced);
    }
    Ok(CsvDataset {
        table,
        labels,
        ids: id.map(|_| ids),
        delimiter: char::from(delimiter),
        coerced,
        rows_without_target,
    })
}

fn malformed(path: &Path, error: &csv::Error) -> CsvError {
    let line = error.position().map_or(0, csv::Position::line);
    CsvError::Malformed { path: path.to_path_buf(), line, message: error.to_string() }
}

/// The separator that occurs most in the header line outside quotes (`,` when none does).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for &byte in bytes {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(delimiter, _)| *delimiter == byte) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    // The first of equals wins, so a header without any separator reads as comma-separated.
    counts.iter().fold((b',', 0), |best, &entry| if entry.1 > best.1 { entry } else { best }).0
}

fn label(
    path: &Path,
    target: &str,
    values: &[String],
    positive: Option<&str>,
) -> Result<Vec<bool>, CsvError> {
    let labels: Vec<bool> = values
        .iter()
        .map(|value| match positive {
            Some(positive) => value.eq_ignore_ascii_case(positive.trim()),
            None => DEFAULT_POSITIVES.iter().any(|yes| value.eq_ignore_ascii_case(yes)),
        })
        .collect();
    let positives = labels.iter().filter(|&&label| label).count();
    if positives == 0 || positives == labels.len() {
        let mut seen: Vec<String> = Vec::new();
        for value in values {
            if !seen.contains(value) && seen.len() < 6 {
                seen.push(value.clone());
            }
        }
        return Err(CsvError::OneClass {
            path: path.to_path_buf(),
            target: target.to_string(),
            which: if positives == 0 { "negative" } else { "positive" },
            seen,
        });
    }
    Ok(labels)
}

fn push_column(table: &mut Table, name: &str, values: Vec<Option<String>>, coerced: &mut Vec<CoercedColumn>) {
    let present = values.iter().flatten().count();
    let parsed: Vec<Option<f64>> =
        values.iter().map(|value| value.as_deref().and_then(|text| text.parse::<f64>().ok())).collect();
    let numbers = parsed.iter().flatten().count();
    if numbers > 0 && numbers as f64 >= NUMERIC_SHARE * present as f64 {
        if numbers < present {
            let example = values
                .iter()
                .zip(&parsed)
                .find_map(|(value, number)| if number.is_none() { value.clone() } else { None })
                .unwrap_or_default();
            coerced.push(CoercedColumn { column: name.to_string(), values: present - numbers, example });
        }
        table.push_numeric(name, parsed.into_iter().map(|number| number.unwrap_or(f64::NAN)).collect());
    } else {
        table.push_categorical(name, values);
    }
}
