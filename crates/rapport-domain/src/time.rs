//! Time values and the lenient timestamp parser CRM exports need.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Every stored time is UTC; the stores keep it as milliseconds since the Unix epoch.
pub type Timestamp = DateTime<Utc>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date or time (expected e.g. 2024-03-01, 2024-03-01 14:05, 2024-03-01T14:05:00Z or 03/01/2024)")]
pub struct TimestampError(pub String);

/// Parses the date and time shapes HubSpot, Salesforce and spreadsheets write.
/// Times without a zone are taken as UTC.
pub fn parse_timestamp(input: &str) -> Result<Timestamp, TimestampError> {
    let s = input.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    const DATE_TIMES: &[&str] = &[
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M %p",
    ];
    for format in DATE_TIMES {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    for format in ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, format) {
            return Ok(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists")));
        }
    }
    Err(TimestampError(input.to_owned()))
}

/// The company-size bands reports group by, from an employee count.
pub fn size_band(employees: Option<u32>) -> &'static str {
    match employees {
        None => "unknown",
        Some(0..=49) => "1-49",
        Some(50..=199) => "50-199",
        Some(200..=999) => "200-999",
        Some(1000..=4999) => "1000-4999",
        Some(_) => "5000+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<&str>) {
        let got = parse_timestamp(input).ok().map(|t| t.to_rfc3339());
        assert_eq!(got.as_deref(), expected, "input {input:?}");
    }

    #[test]
    fn parses_crm_shapes() {
        check("2024-03-01", Some("2024-03-01T00:00:00+00:00"));
        check("2024-03-01 14:05", Some("2024-03-01T14:05:00+00:00"));
        check("2024-03-01T14:05:00+02:00", Some("2024-03-01T12:05:00+00:00"));
        check("03/01/2024 2:05 PM", Some("2024-03-01T14:05:00+00:00"));
        check("03/01/2024", Some("2024-03-01T00:00:00+00:00"));
        check("yesterday", None);
        check("2024-13-01", None);
    }

    #[test]
    fn bands_sizes() {
        assert_eq!(size_band(None), "unknown");
        assert_eq!(size_band(Some(49)), "1-49");
        assert_eq!(size_band(Some(50)), "50-199");
        assert_eq!(size_band(Some(5000)), "5000+");
    }
}
