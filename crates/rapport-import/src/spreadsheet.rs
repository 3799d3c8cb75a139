//! Formula-injection guard for exported CSV: CRM text is untrusted, and a cell such as
//! `=HYPERLINK("http://evil","click")` runs as a formula when the export is opened in a
//! spreadsheet. Export prefixes such cells with `'` (which spreadsheets show as text); import
//! removes exactly that prefix again, so exports still round-trip byte for byte.

use std::borrow::Cow;

/// Characters that make a spreadsheet treat a cell as a formula (OWASP's list).
fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// The cell as written to an export. Plain numbers (`-12.5`) are left alone: they are data, and
/// spreadsheets read them as numbers, not formulas.
pub(crate) fn guard(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(first) if is_trigger(first) && cell.parse::<f64>().is_err() => Cow::Owned(format!("'{cell}")),
        // A cell that already starts with `'` before a trigger gets a second one, so import's
        // removal of one `'` gives back exactly what was stored.
        Some('\'') if cell[1..].starts_with(is_trigger) || cell[1..].starts_with('\'') => {
            Cow::Owned(format!("'{cell}"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// The value of an imported cell: undoes [`guard`].
pub(crate) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(is_trigger) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(stored: &str, exported: &str) {
        assert_eq!(guard(stored), exported, "guard({stored:?})");
        assert_eq!(unguard(exported), stored, "unguard({exported:?})");
    }

    #[test]
    fn formulas_are_neutralised_and_come_back_intact() {
        check("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")");
        check("+1 555 0100", "'+1 555 0100");
        check("@SUM(A1)", "'@SUM(A1)");
        check("-", "'-");
        check("'=already quoted", "''=already quoted");
        check("''", "'''");
    }

    #[test]
    fn ordinary_values_and_numbers_are_untouched() {
        check("Ada Lovelace", "Ada Lovelace");
        check("-12.5", "-12.5");
        check("it's fine", "it's fine");
        check("'quoted'", "'quoted'");
        check("", "");
    }
}
