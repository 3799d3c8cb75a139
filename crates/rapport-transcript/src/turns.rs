//! Grouping timed words into utterances: a new utterance at each change of speaker,
//! channel or source segment, and at sentence ends when nothing says who is speaking.

use crate::{Utterance, Word};

/// A word with what the source said about who spoke it.
#[derive(Debug, Clone)]
pub(crate) struct LabelledWord {
    pub(crate) word: Word,
    pub(crate) speaker: Option<String>,
    pub(crate) channel: Option<u32>,
    /// A source segment (AWS speaker segment, audio segment) the word belongs to.
    pub(crate) segment: Option<usize>,
}

/// How to cut a stream of words into utterances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// Only where speaker, channel or segment changes.
    AtTurns,
    /// Also after each sentence-ending word and at long pauses; used when nothing says
    /// where a turn ends (no speakers, or one speaker per channel), so utterances stay a
    /// readable size instead of one block per call.
    AtTurnsAndSentences,
}

/// A silence this long (seconds) means the speaker has stopped, even mid-sentence.
const PAUSE_S: f64 = 1.5;

pub(crate) fn group_words(words: Vec<LabelledWord>, cut: Cut) -> Vec<Utterance> {
    let mut utterances: Vec<Utterance> = Vec::new();
    let mut current_key: Option<(Option<String>, Option<u32>, Option<usize>)> = None;
    let mut sentence_ended = false;
    let mut previous_end = f64::NEG_INFINITY;
    for labelled in words {
        let key = (labelled.speaker.clone(), labelled.channel, labelled.segment);
        let paused = labelled.word.start - previous_end >= PAUSE_S;
        let starts_new = current_key.as_ref() != Some(&key)
            || (cut == Cut::AtTurnsAndSentences && (sentence_ended || paused));
        sentence_ended = ends_sentence(&labelled.word.text);
        previous_end = labelled.word.end;
        if starts_new {
            let mut utterance = Utterance::new(labelled.word.start, labelled.word.end, "");
            utterance.speaker = labelled.speaker;
            utterance.channel = labelled.channel;
            utterances.push(utterance);
            current_key = Some(key);
        }
        if let Some(utterance) = utterances.last_mut() {
            utterance.end = utterance.end.max(labelled.word.end);
            if !utterance.text.is_empty() {
                utterance.text.push(' ');
            }
            utterance.text.push_str(&labelled.word.text);
            utterance.words.push(labelled.word);
        }
    }
    utterances
}

/// Groups each channel's words on its own, then merges the utterances in time order: on a
/// one-party-per-channel recording the other side's "mm-hmm" must not cut a sentence in two.
pub(crate) fn group_words_per_channel(words: Vec<LabelledWord>, cut: Cut) -> Vec<Utterance> {
    let mut channels: Vec<(Option<u32>, Vec<LabelledWord>)> = Vec::new();
    for word in words {
        match channels.iter_mut().find(|(channel, _)| *channel == word.channel) {
            Some((_, channel_words)) => channel_words.push(word),
            None => channels.push((word.channel, vec![word])),
        }
    }
    let mut utterances: Vec<Utterance> =
        channels.into_iter().flat_map(|(_, channel_words)| group_words(channel_words, cut)).collect();
    sort_by_start(&mut utterances);
    utterances
}

fn ends_sentence(word: &str) -> bool {
    word.trim_end_matches(['"', '\'', ')', '”', '’']).ends_with(['.', '?', '!', '…'])
}

/// Diarization labels as people read them: `spk_0`/`0` → `Speaker 0`, `A` → `Speaker A`.
pub(crate) fn speaker_name(label: &str) -> String {
    let label = label.trim();
    let bare = label.strip_prefix("spk_").unwrap_or(label);
    format!("Speaker {bare}")
}

/// Utterances sorted by start (stable, so equal starts keep source order).
pub(crate) fn sort_by_start(utterances: &mut [Utterance]) {
    utterances.sort_by(|a, b| a.start.total_cmp(&b.start));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, start: f64, speaker: Option<&str>) -> LabelledWord {
        LabelledWord {
            word: Word { text: text.to_string(), start, end: start + 0.5, confidence: None },
            speaker: speaker.map(str::to_string),
            channel: None,
            segment: None,
        }
    }

    fn check(words: Vec<LabelledWord>, cut: Cut, expected: &[(Option<&str>, &str, f64, f64)]) {
        let utterances = group_words(words, cut);
        let actual: Vec<(Option<&str>, &str, f64, f64)> =
            utterances.iter().map(|u| (u.speaker.as_deref(), u.text.as_str(), u.start, u.end)).collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn cuts_at_speaker_changes() {
        let a = Some("A");
        let b = Some("B");
        check(
            vec![word("Hi.", 0.0, a), word("there", 1.0, a), word("Yes", 2.0, b), word("ok", 3.0, a)],
            Cut::AtTurns,
            &[(a, "Hi. there", 0.0, 1.5), (b, "Yes", 2.0, 2.5), (a, "ok", 3.0, 3.5)],
        );
    }

    #[test]
    fn cuts_at_sentences_when_asked() {
        check(
            vec![
                word("Hi.", 0.0, None),
                word("Is", 1.0, None),
                word("it?", 2.0, None),
                word("Yes", 3.0, None),
            ],
            Cut::AtTurnsAndSentences,
            &[(None, "Hi.", 0.0, 0.5), (None, "Is it?", 1.0, 2.5), (None, "Yes", 3.0, 3.5)],
        );
        check(vec![], Cut::AtTurnsAndSentences, &[]);
        check(
            vec![word("one", 0.0, None), word("two", 0.6, None), word("three", 2.6, None)],
            Cut::AtTurnsAndSentences,
            &[(None, "one two", 0.0, 1.1), (None, "three", 2.6, 3.1)],
        );
    }

    #[test]
    fn groups_channels_apart_and_merges_by_time() {
        let on = |mut labelled: LabelledWord, channel: u32| {
            labelled.channel = Some(channel);
            labelled
        };
        let words = vec![
            on(word("I", 0.0, None), 0),
            on(word("mm-hmm", 0.4, None), 1),
            on(word("think", 0.5, None), 0),
            on(word("so.", 1.0, None), 0),
            on(word("Right.", 1.2, None), 1),
        ];
        let utterances = group_words_per_channel(words, Cut::AtTurnsAndSentences);
        let actual: Vec<(Option<u32>, &str)> =
            utterances.iter().map(|u| (u.channel, u.text.as_str())).collect();
        assert_eq!(actual, [(Some(0), "I think so."), (Some(1), "mm-hmm Right.")]);
    }

    #[test]
    fn names_diarization_labels() {
        assert_eq!(speaker_name("spk_1"), "Speaker 1");
        assert_eq!(speaker_name("A"), "Speaker A");
        assert_eq!(speaker_name("0"), "Speaker 0");
    }
}
