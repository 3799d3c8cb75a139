//! Words, questions and fillers in utterance text: the text rules the stats and trackers
//! share, so "a question" and "a word" mean the same thing everywhere.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

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
    let mut count = 0;
    let mut in_word = false;
    for character in text.chars() {
        if character.is_alphanumeric() {
            if character.is_ascii() {
                buffer.push(character.to_ascii_lowercase());
            } else {
                buffer.extend(character.to_lowercase());
            }
            in_word = true;
        } else if character == '\'' || character == '’' {
            continue;
        } else if in_word {
            buffer.push(' ');
            count += 1;
            in_word = false;
        }
    }
    if in_word {
        buffer.push(' ');
        count += 1;
    }
    count
}

/// How many normalised tokens `text` has, without building them.
pub(crate) fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for character in text.chars() {
        if character.is_alphanumeric() {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else if character != '\'' && character != '’' {
            in_word = false;
        }
    }
    count
}

/// The first `limit` normalised tokens of `text`, space-separated: question rules look
/// only at how a sentence starts.
fn leading_tokens(text: &str, limit: usize) -> String {
    let mut buffer = String::new();
    // Cut the text after enough characters for `limit` words of any sane length.
    let mut cut = text.len();
    let mut words = 0;
    let mut in_word = false;
    for (offset, character) in text.char_indices() {
        let word_character = character.is_alphanumeric() || character == '\'' || character == '’';
        if word_character && !in_word {
            if words == limit {
                cut = offset;
                break;
            }
            words += 1;
        }
        in_word = word_character;
    }
    push_normalised(&mut buffer, &text[..cut]);
    buffer
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
    let leading = leading_tokens(sentence, 12);
    let tokens: Vec<&str> = leading.split_terminator(' ').collect();
    if tokens.first().is_some_and(|first| INTERROGATIVES.contains(first)) {
        return true;
    }
    let words = skip_discourse(&tokens);
    OPEN_REQUESTS.iter().any(|request| words.get(..request.len()) == Some(*request))
}

/// Questions in an utterance's text.
pub fn question_count(text: &str) -> usize {
    sentences(text).filter(|sentence| is_question(sentence)).count()
}

/// Words and fillers of `text`, in one pass over its normalised form (one automaton for all
/// fillers; overlapping, so "um um" is two); the same counts as counting
/// each filler's token windows.
pub(crate) fn words_and_fillers(text: &str) -> (usize, usize) {
    static FILLER_MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    let matcher = FILLER_MATCHER.get_or_init(|| {
        AhoCorasick::new(FILLERS.iter().map(|filler| format!(" {filler} "))).expect("the fillers build")
    });
    let mut buffer = String::with_capacity(text.len() + 2);
    buffer.push(' ');
    let words = push_normalised(&mut buffer, text);
    (words, matcher.find_overlapping_iter(&buffer).count())
}

/// Filler occurrences in a token stream (multi-word fillers matched as whole phrases), the
/// naive way: the definition [`words_and_fillers`] is checked against.
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
    fn fillers_single_and_multi_word() {
        let text = "Um, you know, it's like, uh, kind of you-know expensive um um";
        assert_eq!(filler_count(&normalised_tokens(text)), 8);
        assert_eq!(words_and_fillers(text), (13, 8));
        assert_eq!(filler_count(&normalised_tokens("unknown lookalike")), 0);
    }
}
