//! Custom column mappings, read from a TOML file an admin writes for their CRM's export:
//!
//! ```toml
//! [people]
//! email = "E-mail Address"        # canonical column = header in the file
//! source = "How did you hear?"
//!
//! [people.values.source]          # optional value maps: file value = canonical value
//! "Google Ads" = "paid_search"
//! "Other" = ""                    # an empty target means "treat as blank"
//! ```

use std::collections::HashMap;
use std::path::Path;

use toml_edit::{ImDocument, Item, Key};

use crate::columns::{columns, header_key};
use crate::{ImportError, ImportKind};

/// A parsed mapping file: per kind, which header feeds which canonical column, and value maps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    kinds: HashMap<ImportKind, KindMapping>,
}

/// The mapping for one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KindMapping {
    /// Canonical column → header text in the file.
    pub headers: HashMap<&'static str, String>,
    /// Canonical column → (lower-cased file value → canonical value).
    pub values: HashMap<&'static str, HashMap<String, String>>,
}

impl Mapping {
    pub(crate) fn for_kind(&self, kind: ImportKind) -> Option<&KindMapping> {
        self.kinds.get(&kind)
    }
}

/// Reads and checks a mapping file; errors name the file and the line at fault.
pub fn load_mapping(path: &Path) -> Result<Mapping, ImportError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ImportError::Read { path: path.to_path_buf(), source })?;
    parse_mapping(&text).map_err(|(line, message)| ImportError::Mapping {
        path: path.to_path_buf(),
        line,
        message,
    })
}

/// Parses mapping text; an error carries the 1-based line and what is wrong there.
pub(crate) fn parse_mapping(text: &str) -> Result<Mapping, (u64, String)> {
    let line_of = |span: Option<std::ops::Range<usize>>| {
        span.and_then(|span| text.get(..span.start))
            .map_or(1, |before| before.matches('\n').count() as u64 + 1)
    };
    let document = ImDocument::parse(text)
        .map_err(|error| (line_of(error.span()), error.message().trim().to_owned()))?;
    let mut mapping = Mapping::default();
    let root = document.as_table();
    for (kind_name, item) in root.iter() {
        let kind_line = line_of(root.key(kind_name).and_then(Key::span));
        let kind: ImportKind =
            kind_name.parse().map_err(|error: ImportError| (kind_line, format!("[{kind_name}]: {error}")))?;
        let Some(entries) = item.as_table_like() else {
            return Err((kind_line, format!("`{kind_name}` must be a table: [{kind_name}]")));
        };
        let mut kind_mapping = KindMapping::default();
        for (key, value) in entries.iter() {
            let line = line_of(entries.get_key_value(key).and_then(|(key, _)| key.span()));
            if key == "values" {
                read_value_maps(kind, value, &mut kind_mapping, &line_of)?;
                continue;
            }
            let column = canonical_column(kind, key).map_err(|message| (line, message))?;
            let Some(header) = value.as_str() else {
                return Err((
                    line,
                    format!("`{key}` must name a header in quotes, e.g. {key} = \"E-mail Address\""),
                ));
            };
            kind_mapping.headers.insert(column, header.to_owned());
        }
        mapping.kinds.insert(kind, kind_mapping);
    }
    Ok(mapping)
}

fn read_value_maps(
    kind: ImportKind,
    item: &Item,
    into: &mut KindMapping,
    line_of: &dyn Fn(Option<std::ops::Range<usize>>) -> u64,
) -> Result<(), (u64, String)> {
    let Some(table) = item.as_table_like() else {
        return Err((
            line_of(item.span()),
            "`values` must be a table, e.g. [people.values.source]".to_owned(),
        ));
    };
    for (column_name, map) in table.iter() {
        let line = line_of(table.get_key_value(column_name).and_then(|(key, _)| key.span()));
        let column = canonical_column(kind, column_name).map_err(|message| (line, message))?;
        let Some(map) = map.as_table_like() else {
            return Err((
                line,
                format!("values.{column_name} must be a table of \"file value\" = \"canonical value\""),
            ));
        };
        let values = into.values.entry(column).or_default();
        for (from, to) in map.iter() {
            let Some(to) = to.as_str() else {
                let line = line_of(map.get_key_value(from).and_then(|(key, _)| key.span()));
                return Err((
                    line,
                    format!("values.{column_name}: the value for \"{from}\" must be a string in quotes"),
                ));
            };
            values.insert(from.trim().to_lowercase(), to.to_owned());
        }
    }
    Ok(())
}

fn canonical_column(kind: ImportKind, name: &str) -> Result<&'static str, String> {
    let key = header_key(name);
    let specs = columns(kind);
    specs.iter().find(|spec| header_key(spec.name) == key).map(|spec| spec.name).ok_or_else(|| {
        let known: Vec<&str> = specs.iter().map(|spec| spec.name).collect();
        format!("`{name}` is not a {} column (one of: {})", kind.as_str(), known.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_error(text: &str, expected_line: u64, expected_fragment: &str) {
        let (line, message) = parse_mapping(text).unwrap_err();
        assert_eq!(line, expected_line, "{message}");
        assert!(message.contains(expected_fragment), "{message}");
    }

    #[test]
    fn reads_headers_and_value_maps() {
        let text = "[people]\nemail = \"E-mail Address\"\nFirst Name = \"Given\"\n\n[people.values.source]\n\"Google Ads\" = \"paid_search\"\n";
        let text = text.replace("First Name", "\"First Name\"");
        let mapping = parse_mapping(&text).unwrap();
        let people = mapping.for_kind(ImportKind::People).unwrap();
        assert_eq!(people.headers["email"], "E-mail Address");
        assert_eq!(people.headers["first_name"], "Given");
        assert_eq!(people.values["source"]["google ads"], "paid_search");
        assert!(mapping.for_kind(ImportKind::Touches).is_none());
    }

    #[test]
    fn bad_files_say_which_line() {
        check_error("[people]\nemail = \"E-mail\"\nemial = \"Mail\"\n", 3, "`emial` is not a people column");
        check_error("[people]\nemail = 3\n", 2, "must name a header in quotes");
        check_error("\n[leeds]\nemail = \"x\"\n", 2, "`leeds` is not something Rapport imports");
        check_error("[people]\nemail = \"unterminated\n", 2, "");
        check_error("[people.values.source]\n\"Google\" = 1\n", 2, "must be a string");
        check_error("[people.values.colour]\n\"a\" = \"b\"\n", 1, "`colour` is not a people column");
    }
}
