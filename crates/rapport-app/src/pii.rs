//! PII redaction of transcript text before it is stored: email addresses, phone numbers,
//! card numbers (Luhn-checked), IBANs (mod-97-checked) and US social security numbers become
//! `[email]`, `[phone]`, `[card]`, `[iban]`, `[national_id]`.
//!
//! Stand-in until `rapport_conversation::redact` lands (helper `convo`); the analysis calls
//! only [`redact`], so swapping the implementation changes one line. Deliberately
//! conservative on numbers: a run of digits (with spaces, dashes, dots or brackets between)
//! counts as a phone number from 9 digits on, so years, prices and counts stay.

/// Text with its PII replaced, and how many items were replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub found: usize,
}

pub fn redact(text: &str) -> Redacted {
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut found = 0;
    let mut i = 0;
    while i < tokens.len() {
        if let Some((label, used, trailing)) = number_run(&tokens[i..]).or_else(|| iban(&tokens[i..])) {
            out.push(format!("[{label}]{trailing}"));
            found += 1;
            i += used;
            continue;
        }
        let token = tokens[i];
        let (lead, core, trail) = trim_punctuation(token);
        if is_email(core) {
            out.push(format!("{lead}[email]{trail}"));
            found += 1;
        } else {
            out.push(token.to_owned());
        }
        i += 1;
    }
    Redacted { text: out.join(" "), found }
}

fn trim_punctuation(token: &str) -> (&str, &str, &str) {
    let is_edge = |c: char| {
        matches!(c, '(' | ')' | '<' | '>' | '[' | ']' | '"' | '\'' | ',' | ';' | ':' | '.' | '!' | '?')
    };
    let core_start = token.len() - token.trim_start_matches(is_edge).len();
    let trimmed = token[core_start..].trim_end_matches(is_edge);
    let core_end = core_start + trimmed.len();
    (&token[..core_start], trimmed, &token[core_end..])
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic));
    local_ok && domain_ok
}

/// A phone, card or national-id number starting at the first token, possibly spread over
/// several tokens: (label, tokens used, punctuation after it).
fn number_run(tokens: &[&str]) -> Option<(&'static str, usize, String)> {
    let first = tokens[0];
    if !first.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(') {
        return None;
    }
    let part = |t: &str| {
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '(' | ')'))
    };
    let mut digits = String::new();
    let mut used = 0;
    let mut trailing = String::new();
    let mut joined = String::new();
    for token in tokens {
        let core = token.trim_end_matches([',', ';', ':', '.', '!', '?']);
        if !part(core) || !core.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        digits.extend(core.chars().filter(char::is_ascii_digit));
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(core);
        used += 1;
        trailing = token[core.len()..].to_owned();
        if !trailing.is_empty() || digits.len() > 19 {
            break;
        }
    }
    if used == 0 {
        return None;
    }
    let is_ssn = {
        let parts: Vec<&str> = joined.split('-').collect();
        parts.len() == 3
            && [3, 2, 4]
                .iter()
                .zip(&parts)
                .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_digit()))
    };
    let label = if is_ssn {
        "national_id"
    } else if (13..=19).contains(&digits.len()) && luhn(&digits) {
        "card"
    } else if (9..=15).contains(&digits.len()) {
        "phone"
    } else {
        return None;
    };
    Some((label, used, trailing))
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An IBAN, compact (`DE89370400440532013000`) or in groups of four, checked with mod 97.
fn iban(tokens: &[&str]) -> Option<(&'static str, usize, String)> {
    let head = tokens[0].as_bytes();
    if head.len() < 4
        || !head[..2].iter().all(u8::is_ascii_uppercase)
        || !head[2..4].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let mut compact = String::new();
    for (used, token) in tokens.iter().enumerate() {
        let core = token.trim_end_matches([',', ';', ':', '.', '!', '?']);
        if core.is_empty()
            || !core.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            || core.len() > 34
        {
            break;
        }
        if used > 0 && core.len() > 4 {
            break;
        }
        compact.push_str(core);
        let trailing = token[core.len()..].to_owned();
        if (15..=34).contains(&compact.len()) && iban_checks(&compact) {
            return Some(("iban", used + 1, trailing));
        }
        if !trailing.is_empty() {
            break;
        }
    }
    None
}

fn iban_checks(compact: &str) -> bool {
    let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
    let mut remainder: u32 = 0;
    for c in rearranged.chars() {
        let value = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        let digits = if value >= 10 { 2 } else { 1 };
        remainder = (remainder * 10u32.pow(digits) + value) % 97;
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(redact(input).text, expected, "{input}");
    }

    #[test]
    fn personal_data_is_replaced_by_its_kind() {
        check("mail me at ana.lopez@acme.com, thanks", "mail me at [email], thanks");
        check("(ana@acme.co.uk)", "([email])");
        check("call +1 415 555 0134 today", "call [phone] today");
        check("my cell is 415-555-0134.", "my cell is [phone].");
        check("card 4111 1111 1111 1111 ok", "card [card] ok");
        check("ssn 123-45-6789", "ssn [national_id]");
        check("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN [iban] please");
        check("IBAN DE89370400440532013000.", "IBAN [iban].");
    }

    #[test]
    fn ordinary_numbers_and_words_stay() {
        check("we had 300 users in 2024 and pay $12,000", "we had 300 users in 2024 and pay $12,000");
        check("version 2.4.1 at 10:30", "version 2.4.1 at 10:30");
        check("an @mention and a@b", "an @mention and a@b");
        check("DE89 is a code", "DE89 is a code");
        assert_eq!(redact("a@b.co and c@d.io").found, 2);
    }
}
