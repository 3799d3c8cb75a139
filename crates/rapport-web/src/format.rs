//! Plain text formatting shared by the pages: percentages, money, durations, query strings.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |share| format!("{:.1}%", share * 100.0))
}

/// Cents per currency as `USD 12,345` (whole units), several currencies joined.
pub fn money(amounts: &BTreeMap<String, i64>) -> String {
    if amounts.is_empty() {
        return "0".to_owned();
    }
    amounts
        .iter()
        .map(|(currency, cents)| format!("{currency} {}", thousands(cents / 100)))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if value < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `m:ss` or `h:mm:ss`.
pub fn clock(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

pub fn date_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn date(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d").to_string()
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters stay).
pub fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `path?key=value&…` from the pairs whose value is present and not empty.
pub fn link(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(key, value)| {
            value.filter(|v| !v.is_empty()).map(|v| format!("{key}={}", query_escape(v)))
        })
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_links_read_well() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(thousands(12), "12");
        assert_eq!(clock(65_000), "1:05");
        assert_eq!(clock(3_725_000), "1:02:05");
        assert_eq!(percent(Some(0.4567)), "45.7%");
        assert_eq!(percent(None), "–");
        let mut amounts = BTreeMap::new();
        amounts.insert("USD".to_owned(), 1_234_500);
        assert_eq!(money(&amounts), "USD 12,345");
        assert_eq!(
            link("/people", &[("source", Some("paid search&x")), ("stage", None), ("owner", Some(""))]),
            "/people?source=paid%20search%26x"
        );
    }
}
