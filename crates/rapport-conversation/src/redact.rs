//! PII redaction: emails, phone numbers, payment card numbers, IBANs and national ids are
//! replaced by `[email]`, `[phone]`, `[card]`, `[iban]` and `[id]` before a transcript is
//! analysed, stored or indexed, so no later step can leak them.
//!
//! What counts, and why ordinary numbers survive:
//! - **email**: `local@domain.tld`.
//! - **IBAN**: two capital letters, two check digits, then 11–30 letters or digits (spaces
//!   allowed between groups), accepted only when the ISO 13616 mod-97 check gives 1.
//! - **card**: 13–19 digits, optionally grouped by single spaces or dashes, accepted only
//!   when the Luhn check passes, so a random long number rarely qualifies.
//! - **national id**: US Social Security numbers `123-45-6789` (area not 000, 666 or 9xx,
//!   group not 00, serial not 0000); UK National Insurance numbers `AB 12 34 56 C` (the
//!   prefixes HMRC never issues are refused); Canadian SINs `123-456-782` (grouped, Luhn
//!   checked); Spanish DNI/NIE `12345678Z` / `X1234567L` (check letter verified).
//! - **phone**: international numbers written with `+` and 8–15 digits; North American
//!   numbers `(415) 555-0132`, `415-555-0132`, `415.555.0132`, `415 555 0132`, optionally
//!   preceded by `1`. A bare digit run is never a phone number: "2024", "$25,000", "10:30",
//!   "3.5%" and "555-1234" are left alone (a seven-digit local number is indistinguishable
//!   from an order or ticket number).
//!
//! When candidates overlap, the first kind in the order email, IBAN, card, national id,
//! phone wins: a card number is not also a phone number.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rapport_transcript::{Transcript, Word};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// The kinds of personal data [`redact`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Email,
    Phone,
    Card,
    Iban,
    NationalId,
}

impl PiiKind {
    /// The text that replaces a match of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Email => "[email]",
            PiiKind::Phone => "[phone]",
            PiiKind::Card => "[card]",
            PiiKind::Iban => "[iban]",
            PiiKind::NationalId => "[id]",
        }
    }
}

/// One piece of personal data: its kind and byte range in the *original* text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// Redacted text and what was taken out of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    pub text: String,
    pub found: Vec<PiiMatch>,
}

/// How many matches of each kind were redacted (kinds with none are absent).
pub type RedactionCounts = BTreeMap<PiiKind, usize>;

struct Patterns {
    email: Regex,
    iban: Regex,
    card: Regex,
    ssn: Regex,
    uk_ni: Regex,
    canada_sin: Regex,
    spain_dni: Regex,
    phone_international: Regex,
    phone_north_america: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let regex = |pattern: &str| Regex::new(pattern).expect("the redaction patterns compile");
        Patterns {
            email: regex(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"),
            iban: regex(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b"),
            card: regex(r"\b[0-9](?:[ \-]?[0-9]){12,18}\b"),
            ssn: regex(r"\b([0-9]{3})-([0-9]{2})-([0-9]{4})\b"),
            uk_ni: regex(r"\b([A-Z]{2}) ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b"),
            canada_sin: regex(r"\b[0-9]{3}[ \-][0-9]{3}[ \-][0-9]{3}\b"),
            spain_dni: regex(r"\b([XYZ]?)([0-9]{7,8})-?([A-Z])\b"),
            phone_international: regex(r"\+[0-9]{1,3}(?:[ .\-]?\(?[0-9]{1,5}\)?){2,6}"),
            phone_north_america: regex(
                r"(?:\b1[ .\-]?)?(?:\([0-9]{3}\) ?|\b[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4}\b",
            ),
        }
    })
}

/// `text` with every email, phone, card, IBAN and national id replaced by its placeholder.
pub fn redact(text: &str) -> Redacted {
    let found = find_pii(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for pii in &found {
        out.push_str(&text[last..pii.start]);
        out.push_str(pii.kind.placeholder());
        last = pii.end;
    }
    out.push_str(&text[last..]);
    Redacted { text: out, found }
}

/// Redacts every utterance's text and its words in place; returns the counts by kind.
///
/// Words that overlap a redacted span are merged into one word holding the placeholder,
/// spanning their times, so word-level output (subtitles, search) carries no PII either.
pub fn redact_transcript(transcript: &mut Transcript) -> RedactionCounts {
    let mut counts = RedactionCounts::new();
    for utterance in &mut transcript.utterances {
        let redacted = redact(&utterance.text);
        for pii in &redacted.found {
            *counts.entry(pii.kind).or_default() += 1;
        }
        utterance.text = redacted.text;
        if !utterance.words.is_empty() {
            utterance.words = redact_words(std::mem::take(&mut utterance.words));
        }
    }
    counts
}

/// The words joined by spaces are redacted as one text, so a phone number spoken as three
/// words is still found; each match's words become one placeholder word.
fn redact_words(words: Vec<Word>) -> Vec<Word> {
    let mut joined = String::new();
    let mut spans = Vec::with_capacity(words.len());
    for word in &words {
        if !joined.is_empty() {
            joined.push(' ');
        }
        spans.push((joined.len(), joined.len() + word.text.len()));
        joined.push_str(&word.text);
    }
    let found = find_pii(&joined);
    if found.is_empty() {
        return words;
    }
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut open: Option<usize> = None;
    for (word, (start, end)) in words.into_iter().zip(spans) {
        let Some(pii) = found.iter().position(|pii| pii.start < end && start < pii.end) else {
            open = None;
            out.push(word);
            continue;
        };
        match (open, out.last_mut()) {
            (Some(current), Some(merged)) if current == pii => merged.end = word.end,
            _ => {
                open = Some(pii);
                let text = found[pii].kind.placeholder().to_owned();
                out.push(Word { text, confidence: None, ..word });
            }
        }
    }
    out
}

/// Every piece of PII in `text`, in order, none overlapping.
pub fn find_pii(text: &str) -> Vec<PiiMatch> {
    let p = patterns();
    let mut found: Vec<PiiMatch> = Vec::new();
    let mut take = |kind: PiiKind, start: usize, end: usize| {
        if !found.iter().any(|pii| pii.start < end && start < pii.end) {
            found.push(PiiMatch { kind, start, end });
        }
    };
    for m in p.email.find_iter(text) {
        take(PiiKind::Email, m.start(), m.end());
    }
    for m in p.iban.find_iter(text) {
        if let Some(end) = longest_valid_iban(text, m.start(), m.end()) {
            take(PiiKind::Iban, m.start(), end);
        }
    }
    for m in p.card.find_iter(text) {
        if luhn(m.as_str()) && !glued_to_number(text, m.start(), m.end()) {
            take(PiiKind::Card, m.start(), m.end());
        }
    }
    for c in p.ssn.captures_iter(text) {
        let whole = c.get(0).expect("group 0 always matches");
        if valid_ssn(&c[1], &c[2], &c[3]) && !glued_to_number(text, whole.start(), whole.end()) {
            take(PiiKind::NationalId, whole.start(), whole.end());
        }
    }
    for c in p.uk_ni.captures_iter(text) {
        let whole = c.get(0).expect("group 0 always matches");
        if valid_uk_ni_prefix(&c[1]) {
            take(PiiKind::NationalId, whole.start(), whole.end());
        }
    }
    for m in p.canada_sin.find_iter(text) {
        if luhn(m.as_str()) && !glued_to_number(text, m.start(), m.end()) {
            take(PiiKind::NationalId, m.start(), m.end());
        }
    }
    for c in p.spain_dni.captures_iter(text) {
        let whole = c.get(0).expect("group 0 always matches");
        if valid_spanish_id(&c[1], &c[2], &c[3]) {
            take(PiiKind::NationalId, whole.start(), whole.end());
        }
    }
    for m in p.phone_international.find_iter(text) {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        let end = m.start() + m.as_str().trim_end_matches([' ', '.', '-', '(']).len();
        if (8..=15).contains(&digits) && !glued_to_number(text, m.start(), end) {
            take(PiiKind::Phone, m.start(), end);
        }
    }
    for m in p.phone_north_america.find_iter(text) {
        if !glued_to_number(text, m.start(), m.end()) {
            take(PiiKind::Phone, m.start(), m.end());
        }
    }
    found.sort_by_key(|pii| pii.start);
    found
}

/// A match that continues into more digits (after a comma, dot or colon, as in "1,234,567" or
/// a time) is part of a bigger number, not an identifier on its own.
fn glued_to_number(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().rev().take(2).collect::<Vec<_>>();
    let after = text[end..].chars().take(2).collect::<Vec<_>>();
    let glued = |pair: &[char]| {
        pair.first().is_some_and(|&c| matches!(c, ',' | '.' | ':' | '/' | '$' | '€' | '£'))
            && pair.get(1).is_some_and(char::is_ascii_digit)
    };
    glued(&before) || glued(&after) || before.first().is_some_and(|&c| matches!(c, '$' | '€' | '£'))
}

/// The longest prefix of the IBAN candidate, ending at a group boundary, that passes mod-97;
/// the pattern may have run on into a following capitalised word.
fn longest_valid_iban(text: &str, start: usize, end: usize) -> Option<usize> {
    let mut end = end;
    loop {
        let candidate = &text[start..end];
        let compact: String = candidate.chars().filter(|c| *c != ' ').collect();
        if (15..=34).contains(&compact.len()) && iban_checksum_ok(&compact) {
            return Some(end);
        }
        end = start + candidate.rfind(' ')?;
    }
}

fn iban_checksum_ok(compact: &str) -> bool {
    let rearranged = compact[4..].chars().chain(compact[..4].chars());
    let mut remainder: u32 = 0;
    for character in rearranged {
        let Some(value) = character.to_digit(36) else { return false };
        // Letters are two digits (A = 10 … Z = 35), digits one.
        remainder = if value >= 10 { (remainder * 100 + value) % 97 } else { (remainder * 10 + value) % 97 };
    }
    remainder == 1
}

/// The Luhn check over the digits of `text` (separators ignored).
fn luhn(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, digit)| {
            if index % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                *digit
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

fn valid_ssn(area: &str, group: &str, serial: &str) -> bool {
    area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
}

/// UK NI prefixes: neither letter D, F, I, Q, U or V; second letter not O; and the prefixes
/// BG, GB, KN, NK, NT, TN and ZZ are never issued.
fn valid_uk_ni_prefix(prefix: &str) -> bool {
    let mut letters = prefix.chars();
    let (Some(first), Some(second)) = (letters.next(), letters.next()) else { return false };
    let never = ['D', 'F', 'I', 'Q', 'U', 'V'];
    !never.contains(&first)
        && !never.contains(&second)
        && second != 'O'
        && !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix)
}

/// DNI: 8 digits and the letter at (number mod 23); NIE: X/Y/Z (read as 0/1/2) then 7 digits.
fn valid_spanish_id(nie_prefix: &str, digits: &str, letter: &str) -> bool {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let number = match nie_prefix {
        "" if digits.len() == 8 => digits.to_owned(),
        "X" | "Y" | "Z" if digits.len() == 7 => {
            let lead = match nie_prefix {
                "X" => '0',
                "Y" => '1',
                _ => '2',
            };
            format!("{lead}{digits}")
        }
        _ => return false,
    };
    let Ok(value) = number.parse::<u64>() else { return false };
    letter.as_bytes().first() == Some(&LETTERS[(value % 23) as usize])
}
