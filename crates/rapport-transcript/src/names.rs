//! Comparing people's names and emails as meeting tools write them: `Dora Demszky`,
//! `DEMSZKY, Dora`, `dora demszky (Acme)`, `D. Demszky`, `Dóra`, `dora.demszky@acme.com`.
//!
//! Matching is case- and diacritic-insensitive and order-free, so `Last, First` and
//! `LAST First` both match `First Last`; middle names are ignored; one side may give an
//! initial for the first or the last name, but not for both.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A name as comparable tokens: folded to lower-case ASCII-ish letters, split at spaces and
/// punctuation, with a bracketed or `|`-separated company suffix dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameTokens(Vec<String>);

impl NameTokens {
    pub(crate) fn parse(name: &str) -> Self {
        let name = name.split(" | ").next().unwrap_or(name);
        let folded = fold(&drop_brackets(name));
        let tokens = folded
            .replace(['\'', '’', 'ʼ'], "")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|token| !token.is_empty())
            .map(str::to_string)
            .collect();
        NameTokens(tokens)
    }

    /// An email address's local part read as a name: `dora.demszky@…` → `dora demszky`.
    pub(crate) fn from_email(email: &str) -> Self {
        NameTokens::parse(email.split('@').next().unwrap_or(""))
    }

    pub(crate) fn first(&self) -> Option<&str> {
        self.0.first().map(String::as_str)
    }

    pub(crate) fn is_single(&self) -> bool {
        self.0.len() == 1
    }

    /// Whether the two name the same person. `first_name_alone` allows a one-word name to
    /// match the other's first name, which is only safe where that first name is unique.
    pub(crate) fn matches(&self, other: &NameTokens, first_name_alone: bool) -> bool {
        let (mine, theirs) = (&self.0, &other.0);
        if mine.is_empty() || theirs.is_empty() {
            return false;
        }
        let mut sorted_mine = mine.clone();
        let mut sorted_theirs = theirs.clone();
        sorted_mine.sort();
        sorted_theirs.sort();
        if sorted_mine == sorted_theirs {
            return true;
        }
        match (mine.as_slice(), theirs.as_slice()) {
            ([one], [first, ..]) | ([first, ..], [one]) => first_name_alone && one == first,
            ([my_first, .., my_last], [their_first, .., their_last]) => {
                first_and_last_match(my_first, my_last, their_first, their_last)
                    || first_and_last_match(my_last, my_first, their_first, their_last)
            }
            _ => false,
        }
    }
}

/// Both names agree, at most one of them as an initial.
fn first_and_last_match(my_first: &str, my_last: &str, their_first: &str, their_last: &str) -> bool {
    let first = same_or_initial(my_first, their_first);
    let last = same_or_initial(my_last, their_last);
    match (first, last) {
        (Some(first_is_initial), Some(last_is_initial)) => !(first_is_initial && last_is_initial),
        _ => false,
    }
}

/// `Some(false)` for the same word, `Some(true)` when one is the other's initial.
fn same_or_initial(a: &str, b: &str) -> Option<bool> {
    if a == b {
        return Some(false);
    }
    let is_initial_of = |short: &str, long: &str| short.chars().count() == 1 && long.starts_with(short);
    (is_initial_of(a, b) || is_initial_of(b, a)).then_some(true)
}

/// The email addresses written inside a speaker label (`Bo <bo@x.org>`), lower-cased.
pub(crate) fn emails_in(label: &str) -> Vec<String> {
    label
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | '"')
        })
        .filter(|part| {
            part.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        })
        .map(|email| email.trim_end_matches('.').to_lowercase())
        .collect()
}

/// Lower case without diacritics: NFD and combining marks dropped, plus the letters that do
/// not decompose (`ø`, `ł`, `ß`, …) spelled the way people type them without the key.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for character in text.nfd().filter(|c| !is_combining_mark(*c)) {
        for lower in character.to_lowercase() {
            match lower {
                'ø' => folded.push('o'),
                'ł' => folded.push('l'),
                'đ' | 'ð' => folded.push('d'),
                'ı' => folded.push('i'),
                'ß' => folded.push_str("ss"),
                'æ' => folded.push_str("ae"),
                'œ' => folded.push_str("oe"),
                'þ' => folded.push_str("th"),
                other => folded.push(other),
            }
        }
    }
    folded
}

/// `Ann Lee (Acme) [guest]` → `Ann Lee  `: tools append company and status in brackets.
fn drop_brackets(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut depth = 0usize;
    for character in text.chars() {
        match character {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => kept.push(character),
            _ => {}
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: &str, b: &str, first_name_alone: bool, expected: bool) {
        let (left, right) = (NameTokens::parse(a), NameTokens::parse(b));
        assert_eq!(left.matches(&right, first_name_alone), expected, "{a:?} vs {b:?}");
        assert_eq!(right.matches(&left, first_name_alone), expected, "{b:?} vs {a:?}");
    }

    #[test]
    fn full_names_in_any_form() {
        check("Dora Demszky", "dora  DEMSZKY", false, true);
        check("Dora Demszky", "Demszky, Dora", false, true);
        check("Dora Demszky", "DEMSZKY Dora", false, true);
        check("Dora Demszky", "Dora M. Demszky", false, true);
        check("Dora Demszky", "Dora Demszky (Acme Corp)", false, true);
        check("Dora Demszky", "Dora Demszky | Acme", false, true);
        check("Dóra Demszky", "Dora Démszky", false, true);
        check("Søren Łukasz Straße", "soren lukasz strasse", false, true);
        check("Seán O’Neil-Smith", "Sean ONeil Smith", false, true);
        check("Dora Demszky", "Dora Smith", false, false);
        check("Dora Demszky", "Demszky", false, false);
        check("Dora Demszky", "", true, false);
    }

    #[test]
    fn initials_for_one_part_only() {
        check("Dora Demszky", "D. Demszky", false, true);
        check("Dora Demszky", "Dora D.", false, true);
        check("Dora Demszky", "D. D.", false, false);
        check("Dora Demszky", "E. Demszky", false, false);
    }

    #[test]
    fn first_name_alone_only_when_allowed() {
        check("Dora Demszky", "dora", true, true);
        check("Dora Demszky", "dora", false, false);
        check("Dora Demszky", "Demszky", true, false);
    }

    #[test]
    fn finds_emails_in_labels() {
        assert_eq!(emails_in("Bo <Bo@X.org>"), ["bo@x.org"]);
        assert_eq!(emails_in("ann@acme.com"), ["ann@acme.com"]);
        assert!(emails_in("Ann @ Acme").is_empty());
        assert_eq!(NameTokens::from_email("dora.demszky@acme.com"), NameTokens::parse("Dora Demszky"));
    }
}
