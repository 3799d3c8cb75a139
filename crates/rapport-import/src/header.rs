//! Matches a file's header row to the canonical columns of a kind, through the preset and an
//! optional custom mapping, and applies value maps to cells.

use std::collections::HashMap;
use std::path::Path;

use crate::columns::{columns, header_key, ColumnSpec};
use crate::mapping::KindMapping;
use crate::{ImportError, ImportKind, Preset};

/// One canonical column and where (if anywhere) it sits in the file.
#[derive(Debug)]
pub(crate) struct ResolvedColumn {
    pub spec: &'static ColumnSpec,
    pub index: Option<usize>,
    /// The header text as written in the file.
    pub header: Option<String>,
    /// Lower-cased file value → canonical value; an empty target blanks the cell.
    pub values: HashMap<String, String>,
    /// Whether values are turned into `snake_case` (CRM source names under a preset).
    pub slug_values: bool,
}

/// The header of one file, resolved.
#[derive(Debug)]
pub(crate) struct Columns {
    pub kind: ImportKind,
    pub columns: Vec<ResolvedColumn>,
    /// Columns no canonical column claimed, as (index, header); touches keep them as attributes.
    pub extra: Vec<(usize, String)>,
    /// How many fields the header has; a row with more non-blank fields is refused.
    pub header_width: usize,
}

impl Columns {
    pub fn get(&self, name: &str) -> Option<&ResolvedColumn> {
        self.columns.iter().find(|column| column.spec.name == name)
    }
}

/// HubSpot's lifecycle stages that Rapport has no stage for.
const HUBSPOT_LIFECYCLE: &[(&str, &str)] = &[("evangelist", "customer"), ("other", "")];

/// Salesforce lead statuses are a sales team's working states; these are the usual meanings.
/// A custom value map overrides them.
const SALESFORCE_LEAD_STATUS: &[(&str, &str)] = &[
    ("open - not contacted", "mql"),
    ("working - contacted", "sal"),
    ("closed - converted", "sql"),
    ("closed - not converted", "recycled"),
];

/// CRM source names (after `snake_case`) that Rapport spells differently.
pub(crate) const SOURCE_RENAMES: &[(&str, &str)] = &[
    ("organic_search", "organic"),
    ("direct_traffic", "direct"),
    ("email_marketing", "email"),
    ("social_media", "organic_social"),
    ("referrals", "referral"),
    ("offline_sources", "offline"),
    ("other_campaigns", "other"),
    ("advertisement", "paid_ads"),
    ("trade_show", "events"),
];

pub(crate) fn resolve(
    path: &Path,
    kind: ImportKind,
    preset: Preset,
    mapping: Option<&KindMapping>,
    header: &[String],
) -> Result<Columns, ImportError> {
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::NoHeader { path: path.to_path_buf() });
    }
    let mut positions: HashMap<String, usize> = HashMap::new();
    for (index, text) in header.iter().enumerate() {
        positions.entry(header_key(text)).or_insert(index);
    }
    let mut claimed = vec![false; header.len()];
    let mut resolved = Vec::new();
    for spec in columns(kind) {
        let explicit = mapping.and_then(|m| m.headers.get(spec.name));
        let candidates: Vec<&str> = match explicit {
            Some(source_header) => vec![source_header.as_str()],
            None => preset_names(preset, spec).iter().copied().chain([spec.name]).collect(),
        };
        let index = candidates
            .iter()
            .filter_map(|name| positions.get(&header_key(name)).copied())
            .find(|index| !claimed.get(*index).copied().unwrap_or(true));
        if index.is_none() && spec.required && header.iter().any(|cell| looks_like_a_value(cell)) {
            return Err(ImportError::HeaderIsData {
                path: path.to_path_buf(),
                kind: kind.as_str(),
                first_line: header.to_vec(),
            });
        }
        if index.is_none() && (spec.required || explicit.is_some()) {
            return Err(ImportError::MissingColumn {
                path: path.to_path_buf(),
                kind: kind.as_str(),
                column: spec.name,
                looked_for: candidates.iter().map(|name| (*name).to_owned()).collect(),
                found: header.to_vec(),
            });
        }
        if let Some(slot) = index.and_then(|i| claimed.get_mut(i)) {
            *slot = true;
        }
        resolved.push(ResolvedColumn {
            spec,
            index,
            header: index.and_then(|i| header.get(i)).cloned(),
            values: value_map(kind, preset, spec.name, mapping),
            slug_values: preset != Preset::Canonical && spec.name == "source",
        });
    }
    let extra = header
        .iter()
        .enumerate()
        .filter(|(index, text)| !claimed.get(*index).copied().unwrap_or(true) && !text.trim().is_empty())
        .map(|(index, text)| (index, text.trim().to_owned()))
        .collect();
    Ok(Columns { kind, columns: resolved, extra, header_width: header.len() })
}

/// Whether a header cell is rather a value (an email address, a date): then the file has no
/// header row and its first row was taken for one, and "no `email` column" would mislead.
fn looks_like_a_value(cell: &str) -> bool {
    rapport_domain::EmailAddress::parse(cell).is_ok() || rapport_domain::parse_timestamp(cell).is_ok()
}

fn preset_names(preset: Preset, spec: &ColumnSpec) -> &'static [&'static str] {
    match preset {
        Preset::Canonical => &[],
        Preset::Hubspot => spec.hubspot,
        Preset::Salesforce => spec.salesforce,
    }
}

fn value_map(
    kind: ImportKind,
    preset: Preset,
    column: &str,
    mapping: Option<&KindMapping>,
) -> HashMap<String, String> {
    let built_in: &[(&str, &str)] = match (kind, preset, column) {
        (ImportKind::People, Preset::Hubspot, "lifecycle_stage") => HUBSPOT_LIFECYCLE,
        (ImportKind::People, Preset::Salesforce, "lifecycle_stage") => SALESFORCE_LEAD_STATUS,
        _ => &[],
    };
    let mut values: HashMap<String, String> =
        built_in.iter().map(|(from, to)| ((*from).to_owned(), (*to).to_owned())).collect();
    if let Some(custom) = mapping.and_then(|m| m.values.get(column)) {
        values.extend(custom.iter().map(|(from, to)| (from.clone(), to.clone())));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn index_of(columns: &Columns, name: &str) -> Option<usize> {
        columns.get(name).and_then(|column| column.index)
    }

    #[test]
    fn hubspot_headers_map_to_canonical_columns() {
        let file = header(&[
            "Record ID",
            "First Name",
            "EMAIL ",
            "Create Date",
            "Lifecycle Stage",
            "Favourite colour",
        ]);
        let columns = resolve(Path::new("x.csv"), ImportKind::People, Preset::Hubspot, None, &file).unwrap();
        assert_eq!(index_of(&columns, "email"), Some(2));
        assert_eq!(index_of(&columns, "external_id"), Some(0));
        assert_eq!(index_of(&columns, "created_at"), Some(3));
        assert_eq!(index_of(&columns, "last_name"), None);
        assert_eq!(columns.extra, vec![(5, "Favourite colour".to_owned())]);
        assert_eq!(columns.get("lifecycle_stage").unwrap().values["evangelist"], "customer");
    }

    #[test]
    fn missing_required_column_lists_what_was_looked_for() {
        let file = header(&["Email", "Name"]);
        let error =
            resolve(Path::new("leads.csv"), ImportKind::People, Preset::Salesforce, None, &file).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("leads.csv has no `created_at` column"), "{message}");
        assert!(message.contains("\"Created Date\", \"Create Date\", \"created_at\""), "{message}");
        assert!(message.contains("the header found is: \"Email\", \"Name\""), "{message}");
    }

    #[test]
    fn a_custom_mapping_wins_and_must_be_present() {
        let mapping = crate::mapping::parse_mapping("[people]\nemail = \"E-mail Address\"\n").unwrap();
        let people = mapping.for_kind(ImportKind::People);
        let file = header(&["email", "E-mail Address", "created_at"]);
        let columns =
            resolve(Path::new("x.csv"), ImportKind::People, Preset::Canonical, people, &file).unwrap();
        assert_eq!(index_of(&columns, "email"), Some(1));
        let file = header(&["email", "created_at"]);
        let error =
            resolve(Path::new("x.csv"), ImportKind::People, Preset::Canonical, people, &file).unwrap_err();
        assert!(error.to_string().contains("looked for a header named \"E-mail Address\""), "{error}");
    }

    #[test]
    fn a_first_line_of_data_is_no_header() {
        let file = header(&["ana@example.com", "Ana", "2024-01-02"]);
        let error =
            resolve(Path::new("x.csv"), ImportKind::People, Preset::Canonical, None, &file).unwrap_err();
        assert!(matches!(error, ImportError::HeaderIsData { .. }), "{error:?}");
        let file = header(&["Email", "Signed up 2024"]);
        let error =
            resolve(Path::new("x.csv"), ImportKind::People, Preset::Canonical, None, &file).unwrap_err();
        assert!(matches!(error, ImportError::MissingColumn { column: "created_at", .. }), "{error:?}");
    }

    #[test]
    fn a_blank_header_is_no_header() {
        let error =
            resolve(Path::new("x.csv"), ImportKind::People, Preset::Canonical, None, &header(&["", " "]));
        assert!(matches!(error, Err(ImportError::NoHeader { .. })));
    }
}
