//! Words, questions and fillers in utterance text: the text rules the stats and trackers
//! share, so "a question" and "a word" mean the same thing everywhere.

use crate::scan::{scan, Spaced};

/// Filler words and phrases, as normalised tokens. "like" is counted although it is often
/// a real word: a tokenizer cannot tell, and over-counting it is the known convention.
pub const FILLERS: &[&str] = &[
    "um",
    "umm",
    "uh",
    "uhh",
    "er",
    "erm",
    "hmm",
    "like",
    "you know",
    "i mean",
    "kind of",
    "sort of",
    "basically",
];

/// First words that make a sentence a question even without a question mark (ASR output
/// often drops it). Auxiliaries are included because "do you use Salesforce." is a question.
const INTERROGATIVES: &[&str] = &[
    "what", "why", "how", "when", "where", "who", "whom", "whose", "which", "do", "does", "did", "can",
    "could", "would", "will", "should", "shall", "is", "are", "was", "were", "have", "has", "may",
];

/// Words that open a sentence without changing what kind of question it is.
pub(crate) const DISCOURSE: &[&str] = &[
    "so", "and", "but", "okay", "ok", "well", "um", "uh", "right", "now", "then", "also", "alright", "great",
    "oh", "just", "actually", "yeah", "sure",
];

pub(crate) const WH_WORDS: &[&str] =
    &["what", "why", "how", "where", "when", "who", "whom", "whose", "which", "whats", "hows"];

/// Requests to explain, as token sequences.
pub(crate) const OPEN_REQUESTS: &[&[&str]] = &[
    &["tell", "me"],
    &["tell", "us"],
    &["describe"],
    &["walk", "me", "through"],
    &["walk", "us", "through"],
    &["talk", "me", "through"],
    &["explain"],
    &["help", "me", "understand"],
    &["share", "more"],
];

/// The tokens after leading discourse words, as `&str`s.
pub(crate) fn skip_discourse<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    let start = tokens.iter().position(|token| !DISCOURSE.contains(token)).unwrap_or(tokens.len());
    tokens[start..].to_vec()
}

/// Lower-case words: maximal runs of letters and digits, apostrophes dropped so that
/// "don't" and "dont" are the same token; everything else separates words.
pub fn normalised_tokens(text: &str) -> Vec<String> {
    let mut buffer = String::new();
    push_normalised(&mut buffer, text);
    buffer.split_terminator(' ').map(str::to_owned).collect()
}

/// Appends the normalised tokens of `text` to `buffer`, each followed by one space (the
/// form the matchers search), without allocating per word; returns how many there were.
pub(crate) fn push_normalised(buffer: &mut String, text: &str) -> usize {
    buffer.reserve(text.len() + 1);
    let mut spaced = Spaced { buffer, words: 0 };
    scan(text, &mut spaced);
    spaced.words
}

/// A normalised token kept inline: the question rules compare a sentence's first words with
/// short word lists, so a token longer than [`SHORT_TOKEN_BYTES`] equals none of them and
/// its bytes need not be kept.
#[derive(Debug, Default)]
struct ShortToken {
    bytes: [u8; SHORT_TOKEN_BYTES],
    /// May exceed the array: the token's whole length.
    len: usize,
}

/// Longer than every word in the question rules' lists (checked by a test).
const SHORT_TOKEN_BYTES: usize = 16;

impl ShortToken {
    fn push(&mut self, character: char) {
        if character.is_ascii() {
            if let Some(slot) = self.bytes.get_mut(self.len) {
                *slot = character.to_ascii_lowercase() as u8;
            }
            self.len += 1;
            return;
        }
        for lower in character.to_lowercase() {
            let mut utf8 = [0; 4];
            let encoded = lower.encode_utf8(&mut utf8).as_bytes();
            if let Some(slot) = self.bytes.get_mut(self.len..self.len + encoded.len()) {
                slot.copy_from_slice(encoded);
            }
            self.len += encoded.len();
        }
    }

    fn is(&self, word: &str) -> bool {
        self.bytes.get(..self.len) == Some(word.as_bytes())
    }

    fn is_any(&self, words: &[&str]) -> bool {
        words.iter().any(|word| self.is(word))
    }
}

/// The normalised tokens among the first `limit` words of `text`, one at a time, so that
/// the question rules stop reading at the first word that decides. A "word" here is a run of
/// letters, digits and apostrophes; a run of apostrophes alone counts towards `limit` but
/// is no token (as when the text is cut after `limit` words and then normalised).
fn leading_tokens(text: &str, limit: usize) -> impl Iterator<Item = ShortToken> + '_ {
    let is_word_character =
        |character: char| character.is_alphanumeric() || character == '\'' || character == '’';
    let mut characters = text.chars();
    let mut words_left = limit;
    std::iter::from_fn(move || loop {
        let mut character = characters.find(|character| is_word_character(*character))?;
        if words_left == 0 {
            return None;
        }
        words_left -= 1;
        let mut token = ShortToken::default();
        loop {
            if character.is_alphanumeric() {
                token.push(character);
            }
            match characters.next() {
                Some(next) if is_word_character(next) => character = next,
                _ => break,
            }
        }
        if token.len > 0 {
            return Some(token);
        }
    })
}

/// Sentences of an utterance with their closing punctuation (`.`, `!`, `?`, possibly
/// repeated). A mark ends a sentence only before whitespace or the end of the text, so
/// "rapport.io", "3.5" and "jane@acme.com" stay whole.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let end = (0..bytes.len())
            .find(|&at| {
                matches!(bytes[at], b'.' | b'!' | b'?')
                    && bytes.get(at + 1).is_none_or(|next| next.is_ascii_whitespace())
            })
            .map_or(rest.len(), |at| at + 1);
        let sentence = rest[..end].trim();
        rest = &rest[end..];
        if !sentence.is_empty() {
            return Some(sentence);
        }
    })
}

/// A sentence is a question when it ends with '?', starts with an interrogative word, or
/// (after discourse words such as "so") is a request to explain: "So tell me about your
/// team." asks as much as "What is your team like?".
pub fn is_question(sentence: &str) -> bool {
    if sentence.trim_end().ends_with('?') {
        return true;
    }
    let mut tokens = leading_tokens(sentence, 12);
    let Some(first) = tokens.next() else {
        return false;
    };
    if first.is_any(INTERROGATIVES) {
        return true;
    }
    let mut word = Some(first);
    while word.as_ref().is_some_and(|token| token.is_any(DISCOURSE)) {
        word = tokens.next();
    }
    // The words after the discourse words, as many as the longest request has.
    let words: [Option<ShortToken>; REQUEST_WORDS] = [word, tokens.next(), tokens.next()];
    OPEN_REQUESTS.iter().any(|request| {
        request
            .iter()
            .zip(&words)
            .all(|(expected, token)| token.as_ref().is_some_and(|token| token.is(expected)))
    })
}

/// The most words an [`OPEN_REQUESTS`] entry has (checked by a test).
const REQUEST_WORDS: usize = 3;

/// Questions in an utterance's text, sentence by sentence: the definition
/// `counts::text_counts` is checked against.
#[cfg(test)]
pub fn question_count(text: &str) -> usize {
    sentences(text).filter(|sentence| is_question(sentence)).count()
}

/// Filler occurrences in a token stream (multi-word fillers matched as whole phrases), the
/// naive way: the definition `counts::text_counts` is checked against.
#[cfg(test)]
pub fn filler_count(tokens: &[String]) -> usize {
    FILLERS
        .iter()
        .map(|filler| {
            let words: Vec<&str> = filler.split(' ').collect();
            tokens
                .windows(words.len())
                .filter(|window| window.iter().zip(&words).all(|(a, b)| a == b))
                .count()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_ignore_case_and_punctuation() {
        assert_eq!(normalised_tokens("Don't  RENEW, it's—fine!"), ["dont", "renew", "its", "fine"]);
        assert!(normalised_tokens("...").is_empty());
    }

    #[test]
    fn questions_by_mark_or_first_word() {
        for (text, expected) in [
            ("What is your budget", 1),
            ("You use Gong?", 1),
            ("We use Gong. Do you? Great.", 1),
            ("Okay. Why now? How many seats?", 2),
            ("That is fine.", 0),
            ("", 0),
        ] {
            assert_eq!(question_count(text), expected, "{text}");
        }
    }

    #[test]
    fn sentences_end_at_marks_before_whitespace() {
        let got: Vec<&str> = sentences("Go to rapport.io now!! It costs 3.5k. Really?Yes. ").collect();
        assert_eq!(got, ["Go to rapport.io now!!", "It costs 3.5k.", "Really?Yes."]);
        assert_eq!(sentences("  ").count(), 0);
    }

    #[test]
    fn question_rules_read_past_no_list_and_token_limit() {
        // Every listed word fits a `ShortToken`, and every request the look-ahead.
        let mut listed =
            INTERROGATIVES.iter().chain(DISCOURSE).chain(OPEN_REQUESTS.iter().flat_map(|r| r.iter()));
        assert!(listed.all(|word| word.len() <= SHORT_TOKEN_BYTES), "a listed word is too long");
        assert!(OPEN_REQUESTS.iter().all(|request| request.len() <= REQUEST_WORDS));
        for (sentence, expected) in [
            ("So, um, tell me about your team.", true),
            // "what's" is the token "whats", which names a kind of question but opens none.
            ("What's that", false),
            ("WHY'D you", false),
            ("Why’d you", false),
            ("\u{2003}How ’bout now", true),
            // Eleven discourse words leave room for "tell" only: the rules read 12 words.
            ("so so so so so so so so so so so tell me more", false),
            ("so so so so so so so so so so tell me more", true),
            // A lone apostrophe counts as one of the 12 words read, though it is no token.
            ("so so so so so so so so so so ' tell me more", false),
            ("so so so so so so so so so so ’ tell me more", false),
            ("so so so so so so so so so so’ tell me more", true),
            // A first word longer than any listed word is none of them.
            ("Whatwhatwhatwhatwhat is this", false),
            ("Überhaupt, what", false),
            // The Kelvin sign lower-cases to an ASCII "k": "okay" is a discourse word.
            ("O\u{212A}ay, tell me more", true),
            ("", false),
            ("?", true),
            ("Is it? ", true),
        ] {
            assert_eq!(is_question(sentence), expected, "{sentence:?}");
        }
    }

    #[test]
    fn fillers_single_and_multi_word() {
        let text = "Um, you know, it's like, uh, kind of you-know expensive um um";
        assert_eq!(filler_count(&normalised_tokens(text)), 8);
        let counts = crate::counts::text_counts(text);
        assert_eq!((counts.words, counts.fillers), (13, 8));
        assert_eq!(filler_count(&normalised_tokens("unknown lookalike")), 0);
    }
}
