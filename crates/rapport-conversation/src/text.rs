//! Words, questions and fillers in utterance text: the text rules the stats and trackers
//! share, so "a question" and "a word" mean the same thing everywhere.

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

/// Lower-case words: maximal runs of letters and digits, apostrophes dropped so that
/// "don't" and "dont" are the same token; everything else separates words.
pub fn normalised_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for character in text.chars() {
        if character.is_alphanumeric() {
            current.extend(character.to_lowercase());
        } else if character == '\'' || character == '’' {
            continue;
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// Sentences of an utterance with their closing punctuation (`.`, `!`, `?`).
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '!', '?']).map(str::trim).filter(|sentence| !sentence.is_empty())
}

/// A sentence is a question when it ends with '?' or starts with an interrogative word.
pub fn is_question(sentence: &str) -> bool {
    if sentence.trim_end().ends_with('?') {
        return true;
    }
    normalised_tokens(sentence).first().is_some_and(|first| INTERROGATIVES.contains(&first.as_str()))
}

/// Questions in an utterance's text.
pub fn question_count(text: &str) -> usize {
    sentences(text).filter(|sentence| is_question(sentence)).count()
}

/// Filler occurrences in a token stream (multi-word fillers matched as whole phrases).
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
    fn fillers_single_and_multi_word() {
        let tokens = normalised_tokens("Um, you know, it's like, uh, kind of you-know expensive");
        assert_eq!(filler_count(&tokens), 6);
        assert_eq!(filler_count(&normalised_tokens("unknown lookalike")), 0);
    }
}
