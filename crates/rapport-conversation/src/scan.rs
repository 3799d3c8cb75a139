//! One pass over an utterance's text that finds its normalised tokens (see
//! [`crate::normalised_tokens`]) and, when asked, its sentences (see [`crate::text::sentences`]),
//! and hands them to a [`Tokens`] receiver: the matchers build their search buffers and the
//! stats count words, fillers and questions from it, without a second pass or a `String`
//! per word. Stats and trackers read every word of every call, so this loop is their cost.

/// What normalisation does with each ASCII byte: the byte a word keeps (letters lower-cased,
/// digits as they are), or one of the classes below. ASCII is most of what is said, so a
/// table lookup per byte replaces Unicode classification; other characters take the slow way.
const ASCII_CLASSES: [u8; 128] = {
    let mut classes = [SEPARATOR; 128];
    let mut byte = 0;
    while byte < 128 {
        let ascii = byte as u8;
        if ascii.is_ascii_alphanumeric() {
            classes[byte] = ascii.to_ascii_lowercase();
        } else if ascii == b'\'' {
            classes[byte] = APOSTROPHE;
        } else if matches!(ascii, b'.' | b'!' | b'?') {
            classes[byte] = SENTENCE_MARK;
        }
        byte += 1;
    }
    classes
};
// Control bytes, which no word keeps, name the classes.
/// Ends a word.
const SEPARATOR: u8 = 0;
/// Dropped, without ending a word: "don't" is the token "dont".
const APOSTROPHE: u8 = 1;
/// Ends a word; and a sentence when whitespace or the end of the text follows.
const SENTENCE_MARK: u8 = 2;

/// Receives what [`scan`] finds, in text order.
pub(crate) trait Tokens<'text> {
    /// Whether to find sentences; without, sentence marks only separate words.
    const SENTENCES: bool;

    /// A character of the current word, already lower-cased (ASCII, the common case).
    fn push_ascii(&mut self, byte: u8);
    /// ASCII letters and digits of the current word, as written (not yet lower-cased):
    /// receivers that copy text copy a run at once.
    fn push_ascii_run(&mut self, run: &str) {
        run.bytes().for_each(|byte| self.push_ascii(byte.to_ascii_lowercase()));
    }
    /// A character of the current word, already lower-cased (any other).
    fn push_char(&mut self, character: char);
    fn end_word(&mut self);
    /// A sentence begins (at its first non-space character), before its words.
    fn start_sentence(&mut self) {}
    /// The sentence just ended, trimmed, after its words.
    fn end_sentence(&mut self, _sentence: &'text str) {}
}

/// Reads `text` once, reporting its tokens (and sentences, if `T::SENTENCES`) to `tokens`.
pub(crate) fn scan<'text, T: Tokens<'text>>(text: &'text str, tokens: &mut T) {
    let bytes = text.as_bytes();
    let mut in_word = false;
    let mut at = 0;
    // Where the open sentence starts; spaces before a sentence belong to none.
    let mut sentence_start: Option<usize> = None;
    while at < bytes.len() {
        let byte = bytes[at];
        if T::SENTENCES && sentence_start.is_none() {
            let character = text[at..].chars().next().expect("`at` is on a character boundary");
            if character.is_whitespace() {
                at += character.len_utf8();
                continue;
            }
            sentence_start = Some(at);
            tokens.start_sentence();
        }
        if byte.is_ascii() {
            let class = ASCII_CLASSES[usize::from(byte)];
            if class > SENTENCE_MARK {
                // Letters and digits: the rest of the run in a tight loop.
                let run_start = at;
                at += 1;
                while bytes.get(at).is_some_and(|next| next.is_ascii_alphanumeric()) {
                    at += 1;
                }
                tokens.push_ascii_run(&text[run_start..at]);
                in_word = true;
                continue;
            }
            at += 1;
            match class {
                SEPARATOR => {
                    if in_word {
                        tokens.end_word();
                        in_word = false;
                    }
                }
                APOSTROPHE => {}
                SENTENCE_MARK => {
                    if in_word {
                        tokens.end_word();
                        in_word = false;
                    }
                    // A mark ends a sentence only before whitespace or the end of the text,
                    // so "rapport.io" and "3.5" stay whole.
                    if T::SENTENCES && bytes.get(at).is_none_or(u8::is_ascii_whitespace) {
                        if let Some(start) = sentence_start.take() {
                            tokens.end_sentence(&text[start..at]);
                        }
                    }
                }
                _ => unreachable!("letters and digits are read as runs"),
            }
        } else {
            // Unicode's letters and digits, lower-cased (possibly to several characters);
            // the typographic apostrophe is dropped like the ASCII one.
            let character = text[at..].chars().next().expect("`at` is on a character boundary");
            at += character.len_utf8();
            if character.is_alphanumeric() {
                for lower in character.to_lowercase() {
                    tokens.push_char(lower);
                }
                in_word = true;
            } else if character != '’' && in_word {
                tokens.end_word();
                in_word = false;
            }
        }
    }
    if in_word {
        tokens.end_word();
    }
    if T::SENTENCES {
        if let Some(start) = sentence_start {
            tokens.end_sentence(text[start..].trim_end());
        }
    }
}

/// Appends an ASCII run lower-cased: a copy, then lower-casing in place, both a few bytes at
/// a time rather than a character at a time.
pub(crate) fn push_lowercase(buffer: &mut String, run: &str) {
    let from = buffer.len();
    buffer.push_str(run);
    buffer[from..].make_ascii_lowercase();
}

/// Normalised tokens appended to a `String`, each followed by one space: the form the
/// matchers search.
#[derive(Debug)]
pub(crate) struct Spaced<'a> {
    pub buffer: &'a mut String,
    pub words: usize,
}

impl Tokens<'_> for Spaced<'_> {
    const SENTENCES: bool = false;

    fn push_ascii(&mut self, byte: u8) {
        self.buffer.push(char::from(byte));
    }

    fn push_ascii_run(&mut self, run: &str) {
        push_lowercase(self.buffer, run);
    }

    fn push_char(&mut self, character: char) {
        self.buffer.push(character);
    }

    fn end_word(&mut self) {
        self.buffer.push(' ');
        self.words += 1;
    }
}

/// Texts with what normalisation and sentence splitting must get right: marks inside and
/// after words, repeated marks, apostrophes, non-ASCII letters (some lower-casing to several
/// characters or to ASCII), non-ASCII spaces and symbols; fixed ones, then generated ones.
#[cfg(test)]
pub(crate) fn tricky_texts() -> Vec<String> {
    const PIECES: &[&str] = &[
        "price",
        "Pricing",
        "um",
        "uh",
        "you",
        "know",
        "kind",
        "of",
        "like",
        "i",
        "mean",
        "so",
        "tell",
        "me",
        "what",
        "How",
        "don't",
        "’s",
        "'",
        "’",
        "İstanbul",
        "\u{212A}ind",
        "naïve",
        "STRASSE",
        "straße",
        "日本語",
        "3.5k",
        "rapport.io",
        "a-b",
        "?",
        "!",
        ".",
        "?!",
        "...",
        ",",
        "\t",
        "\u{a0}",
        "\u{2003}",
        "\u{b}",
        "x²",
        "Ⅻ",
        "ǅ",
        "é",
        "e\u{301}",
        "basically",
        "sort",
    ];
    let mut texts: Vec<String> = [
        "",
        " ",
        "Um, you know, it's like, uh, kind of you-know expensive um um",
        "Go to rapport.io now!! It costs 3.5k. Really?Yes. ",
        "So tell me. What about İstanbul?\u{b}Okay.\u{a0}Fine",
        "end with a word",
        "?? !! ..",
        "you. know",
    ]
    .iter()
    .map(|text| text.to_string())
    .collect();
    let mut seed: u64 = 0x7e57;
    let mut next = || {
        // xorshift64: deterministic and dependency-free.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..400 {
        let mut text = String::new();
        for _ in 0..next() % 23 {
            let seed = next();
            text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            text.push_str(["", " ", "  ", ". ", "? "][(seed / 64 % 5) as usize]);
        }
        texts.push(text);
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{push_normalised, sentences};

    /// Records what `scan` reports, as text.
    struct Record<'text> {
        tokens: String,
        sentences: Vec<(usize, &'text str)>,
    }

    impl<'text> Tokens<'text> for Record<'text> {
        const SENTENCES: bool = true;

        fn push_ascii(&mut self, byte: u8) {
            self.tokens.push(char::from(byte));
        }

        fn push_char(&mut self, character: char) {
            self.tokens.push(character);
        }

        fn end_word(&mut self) {
            self.tokens.push(' ');
        }

        fn start_sentence(&mut self) {
            self.sentences.push((self.tokens.len(), ""));
            self.tokens.push('|');
        }

        fn end_sentence(&mut self, sentence: &'text str) {
            self.sentences.last_mut().expect("a sentence was started").1 = sentence;
        }
    }

    /// One pass gives what splitting into sentences and normalising each gives.
    #[test]
    fn one_pass_equals_sentences_then_tokens() {
        for text in tricky_texts() {
            let mut record = Record { tokens: String::new(), sentences: Vec::new() };
            scan(&text, &mut record);
            let mut expected = Record { tokens: String::new(), sentences: Vec::new() };
            for sentence in sentences(&text) {
                expected.sentences.push((expected.tokens.len(), sentence));
                expected.tokens.push('|');
                push_normalised(&mut expected.tokens, sentence);
            }
            assert_eq!(record.tokens, expected.tokens, "{text:?}");
            assert_eq!(record.sentences, expected.sentences, "{text:?}");
        }
    }

    /// Normalisation a character at a time, as the rule reads: letters and digits lower-cased,
    /// apostrophes dropped, anything else ends a word.
    fn normalised_by_characters(text: &str) -> String {
        let mut buffer = String::new();
        let mut in_word = false;
        for character in text.chars() {
            if character.is_alphanumeric() {
                buffer.extend(character.to_lowercase());
                in_word = true;
            } else if character != '\'' && character != '’' && in_word {
                buffer.push(' ');
                in_word = false;
            }
        }
        if in_word {
            buffer.push(' ');
        }
        buffer
    }

    #[test]
    fn table_and_runs_equal_the_character_rule() {
        for text in tricky_texts() {
            let mut buffer = String::new();
            push_normalised(&mut buffer, &text);
            assert_eq!(buffer, normalised_by_characters(&text), "{text:?}");
        }
    }

    #[test]
    fn tokens_of_non_ascii_words() {
        let mut buffer = String::new();
        let words = push_normalised(&mut buffer, "İstanbul’s CAFÉ, \u{212A}elvin x² e\u{301}te");
        // "İ" lower-cases to "i" and a combining dot, both kept in the word; a combining accent
        // after a letter is no letter itself, so it splits the word.
        assert_eq!(buffer, "i\u{307}stanbuls café kelvin x² e te ");
        assert_eq!(words, 6);
    }
}
