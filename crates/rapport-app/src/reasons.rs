//! Rejection reason codes: the shared vocabulary sales uses to say why a lead was rejected.

use rapport_store::{ReasonCodeEntry, Store};

use crate::AppError;

pub fn list(store: &dyn Store) -> Result<Vec<ReasonCodeEntry>, AppError> {
    Ok(store.rejection_reasons()?)
}

/// Adds a reason code, or relabels an existing one. Codes are `snake_case` because they end
/// up in reports, exports and URLs; labels are free text for people.
pub fn add(store: &dyn Store, code: &str, label: &str) -> Result<ReasonCodeEntry, AppError> {
    let code = code.trim();
    let valid = !code.is_empty()
        && code.len() <= 64
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(AppError::invalid(
            "code",
            format!("`{code}` is not a reason code: use 1 to 64 lower-case letters, digits and `_`"),
        ));
    }
    let label = label.trim();
    if label.is_empty() {
        return Err(AppError::invalid("label", "a reason needs a label for people to read"));
    }
    let entry = ReasonCodeEntry { code: code.to_owned(), label: label.to_owned() };
    store.put_rejection_reason(&entry)?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_and_relabels_codes_and_refuses_bad_ones() {
        let fixture = crate::test_support::store();
        let store = &*fixture.store;
        add(store, "competitor", "Went with a competitor").unwrap();
        add(store, "competitor", "Chose a competitor").unwrap();
        let entries = list(store).unwrap();
        let found: Vec<_> = entries.iter().filter(|e| e.code == "competitor").collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label, "Chose a competitor");
        for bad in ["", "Has Caps", "dash-ed"] {
            let error = add(store, bad, "x").unwrap_err();
            assert!(matches!(&error, AppError::Invalid { field, .. } if field == "code"), "{bad:?}: {error}");
        }
        let error = add(store, "ok_code", " ").unwrap_err();
        assert!(matches!(&error, AppError::Invalid { field, .. } if field == "label"), "{error}");
    }
}
