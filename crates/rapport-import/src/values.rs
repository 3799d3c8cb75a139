//! Parsers for the cell values CRM exports hold: money, counts, domains, outcomes.
//! Each returns a message that completes "cannot read this value: …".

use rapport_domain::{OpportunityOutcome, Stage};

/// Parses an amount into minor units without floating point: `12,500.00`, `12500`, `$1,200.5`,
/// `12.500,00` (European). The last `.` or `,` is the decimal mark when one to two digits
/// follow it; otherwise marks are thousands separators.
pub(crate) fn parse_amount_cents(text: &str) -> Result<i64, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '$' | '€' | '£' | '¥' | '\''))
        .collect();
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let not_amount = || format!("`{text}` is not an amount (expected e.g. 12500, 12,500.00 or 12500.5)");
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(not_amount());
    }
    let (whole, fraction) = split_decimal_mark(body);
    let whole_digits: String = whole.chars().filter(char::is_ascii_digit).collect();
    if whole_digits.is_empty() && fraction.is_empty() {
        return Err(not_amount());
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 2 {
        return Err(format!("`{text}` has more than two decimal places; amounts are kept to the cent"));
    }
    let mut cents: i64 = 0;
    for digit in whole_digits.bytes().chain(format!("{fraction:0<2}").bytes()) {
        cents = cents
            .checked_mul(10)
            .and_then(|c| c.checked_add(i64::from(digit - b'0')))
            .ok_or_else(|| format!("`{text}` is too large an amount"))?;
    }
    Ok(if negative { -cents } else { cents })
}

/// Splits `body` (digits, `.` and `,` only) at its decimal mark, checking that the other
/// marks group thousands.
fn split_decimal_mark(body: &str) -> (&str, &str) {
    let last_mark = body.rfind(['.', ',']);
    let Some(position) = last_mark else { return (body, "") };
    let (whole, rest) = body.split_at(position);
    let fraction = rest.get(1..).unwrap_or_default();
    let mark = rest.chars().next().unwrap_or('.');
    let marks_in_whole = whole.matches(['.', ',']).count();
    let same_mark_before = whole.contains(mark);
    // `1,250` and `1.250.000` group thousands; `12,50`, `1,250.00` and `1.250,5` end in decimals.
    let is_grouping = fraction.len() == 3 && (same_mark_before || (mark == ',' && marks_in_whole == 0));
    if is_grouping {
        (body, "")
    } else {
        (whole, fraction)
    }
}

/// Formats cents as the canonical export form, `12500.00`.
pub(crate) fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let absolute = cents.unsigned_abs();
    format!("{sign}{}.{:02}", absolute / 100, absolute % 100)
}

/// Parses a plain decimal (revenue, budget) with the same tolerance for symbols and grouping.
pub(crate) fn parse_decimal(text: &str) -> Result<f64, String> {
    let cleaned: String =
        text.trim().chars().filter(|c| !c.is_whitespace() && !matches!(c, '$' | '€' | '£' | ',')).collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .ok_or_else(|| format!("`{text}` is not a number"))
}

/// Parses a whole count such as an employee count (`1,200`).
pub(crate) fn parse_count(text: &str) -> Result<u32, String> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    cleaned
        .parse::<u32>()
        .map_err(|_| format!("`{text}` is not a whole number (a range like 51-200 is not accepted)"))
}

/// Turns a website or domain (`https://www.Acme.com/about`) into a domain key (`acme.com`).
pub(crate) fn normalize_domain(text: &str) -> Result<String, String> {
    let lower = text.trim().to_lowercase();
    let without_scheme = lower.split_once("://").map_or(lower.as_str(), |(_, rest)| rest);
    let host = without_scheme.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, after)| after);
    let host = host.split(':').next().unwrap_or_default().trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let valid = host.contains('.')
        && !host.starts_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if valid {
        Ok(host.to_owned())
    } else {
        Err(format!("`{text}` is not a web domain (expected e.g. acme.com or https://www.acme.com)"))
    }
}

/// Reads an explicit outcome column.
pub(crate) fn parse_outcome(text: &str) -> Result<OpportunityOutcome, String> {
    match text.trim().to_lowercase().as_str() {
        "open" | "" => Ok(OpportunityOutcome::Open),
        "won" | "closed won" | "true" | "yes" => Ok(OpportunityOutcome::Won),
        "lost" | "closed lost" => Ok(OpportunityOutcome::Lost),
        _ => Err(format!("`{text}` is not an outcome (one of: won, lost, open)")),
    }
}

/// Derives the outcome from a CRM stage name ("Closed Won", "closedlost", "Won", …).
pub(crate) fn outcome_from_stage(stage: &str) -> OpportunityOutcome {
    match Stage::parse(stage) {
        Some(Stage::Customer) => OpportunityOutcome::Won,
        Some(Stage::Lost) => OpportunityOutcome::Lost,
        _ => OpportunityOutcome::Open,
    }
}

/// `Paid Search` → `paid_search`: the shape Rapport keeps sources in.
pub(crate) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    slug.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_amount(input: &str, expected: Result<i64, &str>) {
        let got = parse_amount_cents(input);
        match expected {
            Ok(cents) => assert_eq!(got, Ok(cents), "input {input:?}"),
            Err(fragment) => {
                assert!(got.as_ref().is_err_and(|m| m.contains(fragment)), "input {input:?}: {got:?}")
            }
        }
    }

    #[test]
    fn amounts_become_exact_cents() {
        check_amount("12,500.00", Ok(1_250_000));
        check_amount("12500", Ok(1_250_000));
        check_amount("$1,200.5", Ok(120_050));
        check_amount("12.500,00", Ok(1_250_000));
        check_amount("1.250.000", Ok(125_000_000));
        check_amount("12,50", Ok(1_250));
        check_amount("0.10", Ok(10));
        check_amount("-75.25", Ok(-7_525));
        check_amount("19.990", Ok(1_999));
        check_amount("1.005", Err("more than two decimal places"));
        check_amount("twelve", Err("is not an amount"));
        check_amount("99999999999999999999", Err("too large"));
    }

    #[test]
    fn cents_format_back_to_what_parses() {
        for cents in [0, 5, 1_250_000, -7_525] {
            assert_eq!(parse_amount_cents(&format_cents(cents)), Ok(cents));
        }
        assert_eq!(format_cents(-5), "-0.05");
    }

    #[test]
    fn domains_are_normalised() {
        assert_eq!(normalize_domain("https://www.Acme.com/about"), Ok("acme.com".to_owned()));
        assert_eq!(normalize_domain("acme.co.uk"), Ok("acme.co.uk".to_owned()));
        assert_eq!(normalize_domain("http://shop.acme.com:8080"), Ok("shop.acme.com".to_owned()));
        assert!(normalize_domain("Acme Inc").is_err());
    }

    #[test]
    fn outcomes_come_from_the_column_or_the_stage() {
        assert_eq!(outcome_from_stage("Closed Won"), OpportunityOutcome::Won);
        assert_eq!(outcome_from_stage("closedlost"), OpportunityOutcome::Lost);
        assert_eq!(outcome_from_stage("Proposal/Price Quote"), OpportunityOutcome::Open);
        assert_eq!(parse_outcome("Won"), Ok(OpportunityOutcome::Won));
        assert!(parse_outcome("maybe").is_err());
    }

    #[test]
    fn numbers_and_slugs() {
        assert_eq!(parse_count("1,200"), Ok(1200));
        assert!(parse_count("51-200").is_err());
        assert_eq!(parse_decimal("$1,200,000.50"), Ok(1_200_000.5));
        assert_eq!(slug(" Paid Search "), "paid_search");
        assert_eq!(slug("Partner - Referral"), "partner_referral");
    }
}
