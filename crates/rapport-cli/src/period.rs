//! Report periods from `--from` / `--to` dates.

use chrono::{Duration, Utc};
use rapport_domain::{parse_timestamp, Timestamp};

use crate::failure::bad_input;

/// `[from, to)`: `to` defaults to tomorrow 00:00 UTC (so today counts), `from` to 365 days
/// before `to`.
pub fn resolve(from: Option<&str>, to: Option<&str>) -> anyhow::Result<(Timestamp, Timestamp)> {
    let parse =
        |flag: &str, value: &str| parse_timestamp(value).map_err(|e| bad_input(format!("--{flag}: {e}")));
    let to = match to {
        Some(value) => parse("to", value)?,
        None => {
            let tomorrow = Utc::now().date_naive() + Duration::days(1);
            tomorrow.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
        }
    };
    let from = match from {
        Some(value) => parse("from", value)?,
        None => to - Duration::days(365),
    };
    if from >= to {
        return Err(bad_input(format!(
            "--from ({}) must be before --to ({})",
            from.date_naive(),
            to.date_naive()
        )));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_last_year() {
        let (from, to) = resolve(None, Some("2025-01-01")).unwrap();
        assert_eq!(to.to_rfc3339(), "2025-01-01T00:00:00+00:00");
        assert_eq!(from.to_rfc3339(), "2024-01-02T00:00:00+00:00");
    }

    #[test]
    fn rejects_reversed_and_bad_dates() {
        let err = resolve(Some("2025-02-01"), Some("2025-01-01")).unwrap_err().to_string();
        assert!(err.contains("must be before"), "{err}");
        let err = resolve(Some("last week"), None).unwrap_err().to_string();
        assert!(err.starts_with("--from:"), "{err}");
    }
}
