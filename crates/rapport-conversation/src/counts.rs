//! Words, fillers and questions of an utterance, counted in one pass over its text (see
//! [`crate::scan`]): the interaction stats read every word of every call, so they neither
//! build a string per word nor read the text once per count.

use std::sync::OnceLock;

use crate::scan::{scan, Tokens};
use crate::text::{is_question, FILLERS};

/// Words, fillers and questions of one utterance's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TextCounts {
    pub words: usize,
    pub fillers: usize,
    pub questions: usize,
}

/// Words, fillers and questions of `text` in one pass: fillers as `text::filler_count`
/// counts them over the normalised tokens (so "um um" is two, "you. know" is "you know"),
/// questions as `text::question_count` does; a test holds them to those definitions.
pub(crate) fn text_counts(text: &str) -> TextCounts {
    let mut counter = Counter {
        fillers: FillerWords::get(),
        packed: 0,
        len: 0,
        previous: None,
        counts: TextCounts::default(),
    };
    scan(text, &mut counter);
    counter.counts
}

/// The words of [`FILLERS`] in a small hash table keyed by their packed bytes (see
/// [`Counter`]), so that checking a word costs one multiplication and a probe or two, and
/// which filler phrases they make.
#[derive(Debug)]
struct FillerWords {
    /// Per slot: a word's packed bytes and its index, or `None`.
    slots: [Option<(u128, usize)>; FILLER_SLOTS],
    /// Per word index: it is a filler on its own.
    single: Vec<bool>,
    /// Two-word fillers, as word indices.
    pairs: Vec<(usize, usize)>,
}

/// A power of two, several times the number of filler words so that probes stay short.
const FILLER_SLOTS: usize = 64;

impl FillerWords {
    fn get() -> &'static FillerWords {
        static FILLER_WORDS: OnceLock<FillerWords> = OnceLock::new();
        FILLER_WORDS.get_or_init(|| {
            let mut fillers =
                FillerWords { slots: [None; FILLER_SLOTS], single: Vec::new(), pairs: Vec::new() };
            for filler in FILLERS {
                let words: Vec<usize> = filler.split(' ').map(|word| fillers.insert(word)).collect();
                match words[..] {
                    [word] => fillers.single[word] = true,
                    [first, second] => fillers.pairs.push((first, second)),
                    _ => panic!("a filler has one or two words: {filler:?}"),
                }
            }
            fillers
        })
    }

    /// The word's index, added if new.
    fn insert(&mut self, word: &str) -> usize {
        assert!(word.len() <= PACKED_BYTES, "filler word {word:?} is too long to pack");
        let packed = word.bytes().fold(0, pack);
        let mut slot = slot_of(packed);
        loop {
            match self.slots[slot] {
                Some((known, index)) if known == packed => return index,
                Some(_) => slot = (slot + 1) % FILLER_SLOTS,
                None => {
                    let index = self.single.len();
                    self.slots[slot] = Some((packed, index));
                    self.single.push(false);
                    return index;
                }
            }
        }
    }

    fn index(&self, packed: u128) -> Option<usize> {
        let mut slot = slot_of(packed);
        loop {
            match self.slots[slot] {
                Some((known, index)) if known == packed => return Some(index),
                Some(_) => slot = (slot + 1) % FILLER_SLOTS,
                None => return None,
            }
        }
    }
}

/// Bytes a `u128` holds.
const PACKED_BYTES: usize = 16;

/// A word's bytes packed into an integer, first byte highest: normalised tokens hold no
/// zero byte, so words of up to [`PACKED_BYTES`] bytes pack to distinct numbers.
fn pack(packed: u128, byte: u8) -> u128 {
    packed << 8 | u128::from(byte)
}

fn slot_of(packed: u128) -> usize {
    let folded = (packed as u64) ^ ((packed >> 64) as u64);
    (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize % FILLER_SLOTS
}

/// The [`Tokens`] receiver behind [`text_counts`].
struct Counter {
    fillers: &'static FillerWords,
    /// The bytes of the word being read, packed (the last 16 when it is longer).
    packed: u128,
    len: usize,
    /// The filler word index of the word before, if it is one.
    previous: Option<usize>,
    counts: TextCounts,
}

impl Tokens<'_> for Counter {
    const SENTENCES: bool = true;

    fn push_ascii(&mut self, byte: u8) {
        self.packed = pack(self.packed, byte);
        self.len += 1;
    }

    fn push_char(&mut self, character: char) {
        let mut utf8 = [0; 4];
        character.encode_utf8(&mut utf8).bytes().for_each(|byte| self.push_ascii(byte));
    }

    // Inlined into the scan loop so that the word being packed stays in registers.
    #[inline(always)]
    fn end_word(&mut self) {
        self.counts.words += 1;
        let fillers = self.fillers;
        // A word too long to pack whole is no filler.
        let index = if self.len <= PACKED_BYTES { fillers.index(self.packed) } else { None };
        if let Some(index) = index {
            self.counts.fillers += usize::from(fillers.single[index]);
            if let Some(previous) = self.previous {
                self.counts.fillers +=
                    fillers.pairs.iter().filter(|pair| **pair == (previous, index)).count();
            }
        }
        self.previous = index;
        (self.packed, self.len) = (0, 0);
    }

    fn end_sentence(&mut self, sentence: &str) {
        self.counts.questions += usize::from(is_question(sentence));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalised_tokens;
    use crate::scan::tricky_texts;
    use crate::text::{filler_count, question_count};

    /// The one pass counts what counting tokens, filler windows and questioning sentences does.
    #[test]
    fn one_pass_equals_the_definitions() {
        let mut totals = TextCounts::default();
        for text in tricky_texts() {
            let tokens = normalised_tokens(&text);
            let expected = TextCounts {
                words: tokens.len(),
                fillers: filler_count(&tokens),
                questions: question_count(&text),
            };
            let counts = text_counts(&text);
            assert_eq!(counts, expected, "{text:?}");
            totals.words += counts.words;
            totals.fillers += counts.fillers;
            totals.questions += counts.questions;
        }
        // The texts exercise all three counts.
        assert!(totals.words > 1000 && totals.fillers > 100 && totals.questions > 100, "{totals:?}");
    }

    #[test]
    fn long_words_and_fillers_across_sentences() {
        let text = "Basically. basicallybasically um-um, you. Know? I mean kind of";
        assert_eq!(text_counts(text), TextCounts { words: 10, fillers: 6, questions: 1 });
    }
}
