//! Matching every tracker over a transcript in one pass: all phrases of all trackers go into
//! one Aho-Corasick automaton, run once over the whole call's normalised text, so hundreds of
//! trackers cost about what one does.
//!
//! The call's text is one buffer of sentences, each written as ` word word … ` (normalised
//! tokens, see [`crate::normalised_tokens`]). A phrase is the pattern ` its words `, so it
//! matches whole words only; sentences meet at two spaces, which no pattern contains, so a
//! phrase never spans two sentences. With word forms the pattern leaves the trailing space
//! off and the rest of the word must be one of [`SUFFIXES`]. A final "e" is dropped from the
//! stem first, so "price" also finds "pricing".

use std::collections::HashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::MatchKind;
use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::dfa_lanes::find_overlapping;
use crate::scan::{push_lowercase, scan, Tokens};
use crate::text::{is_question, normalised_tokens};
use crate::trackers::{Tracker, TrackerError};
use crate::Side;

/// Endings a word-form phrase's last word may take.
pub const SUFFIXES: &[&str] = &[
    "s", "es", "ed", "d", "ing", "al", "als", "er", "ers", "ment", "ments", "ation", "ations", "able", "ly",
];

/// One tracker hit: where in the call a phrase was said, and the words that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackerHit {
    pub tracker: String,
    /// Index into the transcript's utterances.
    pub utterance: usize,
    /// The utterance's start, in seconds.
    pub time_s: f64,
    pub side: Side,
    /// The matched words, normalised ("renewing").
    pub matched: String,
}

/// Trackers ready to match: build once, run over any number of calls.
#[derive(Debug)]
pub struct TrackerMatcher {
    trackers: Vec<Tracker>,
    /// A DFA, searched in lanes (see `dfa_lanes.rs`).
    automaton: DFA,
    /// Per pattern: the (tracker, is exclusion, stem dropped an "e") it stands for.
    owners: Vec<Vec<(usize, bool, bool)>>,
    word_forms: Vec<bool>,
}

impl TrackerMatcher {
    pub fn new(trackers: Vec<Tracker>) -> Result<TrackerMatcher, TrackerError> {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut owners: Vec<Vec<(usize, bool, bool)>> = Vec::new();
        let mut word_forms = Vec::new();
        for (index, tracker) in trackers.iter().enumerate() {
            let phrases = tracker
                .phrases
                .iter()
                .map(|p| (p, false))
                .chain(tracker.exclusions.iter().map(|p| (p, true)));
            for (phrase, exclusion) in phrases {
                let mut words = normalised_tokens(phrase).join(" ");
                if words.is_empty() {
                    let (tracker, phrase) = (tracker.name.clone(), phrase.clone());
                    return Err(TrackerError::EmptyPhrase { tracker, phrase });
                }
                // Exclusions match exactly: they name the one thing to leave out.
                let forms = tracker.word_forms && !exclusion;
                let dropped_e = forms && words.len() > 3 && words.ends_with('e');
                if dropped_e {
                    words.pop();
                }
                let pattern = if forms { format!(" {words}") } else { format!(" {words} ") };
                let next = ids.len();
                let id = *ids.entry(pattern).or_insert(next);
                if id == owners.len() {
                    owners.push(Vec::new());
                    word_forms.push(forms);
                }
                owners[id].push((index, exclusion, dropped_e));
            }
        }
        let mut patterns: Vec<(String, usize)> = ids.into_iter().collect();
        patterns.sort_by_key(|(_, id)| *id);
        let automaton = fast_overlapping_automaton(patterns.iter().map(|(pattern, _)| pattern))?;
        Ok(TrackerMatcher { trackers, automaton, owners, word_forms })
    }

    /// Distinct phrases in the automaton (a phrase shared by trackers is stored once).
    pub fn pattern_count(&self) -> usize {
        self.automaton.patterns_len()
    }

    /// Every hit of every tracker, in order of utterance, then tracker.
    pub fn find(&self, transcript: &Transcript) -> Vec<TrackerHit> {
        let duration_s = transcript.duration_s.unwrap_or(0.0).max(transcript.last_end());
        let text_len: usize = transcript.utterances.iter().map(|u| u.text.len() + 2).sum();
        let mut call = CallText {
            buffer: String::with_capacity(text_len),
            starts: Vec::with_capacity(transcript.utterances.len()),
            sentences: Vec::with_capacity(transcript.utterances.len()),
            utterance: 0,
            sentence_start: 0,
        };
        for (index, utterance) in transcript.utterances.iter().enumerate() {
            call.utterance = index;
            scan(&utterance.text, &mut call);
        }
        let CallText { buffer, starts, sentences, .. } = call;
        // Whether each sentence is a question, worked out the first time it is needed.
        let mut questions: Vec<Option<bool>> = vec![None; sentences.len()];
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut excluded: Vec<(usize, usize)> = Vec::new();
        // Sentence starts are cuts no match spans: sentences meet at two spaces.
        for found in find_overlapping(&self.automaton, buffer.as_bytes(), &starts) {
            let id = found.pattern;
            // A word-form match runs on to the end of its word; an exact one ends at its space.
            let end = if self.word_forms[id] {
                buffer[found.end..].find(' ').map_or(buffer.len(), |offset| found.end + offset)
            } else {
                found.end
            };
            let suffix = &buffer[found.end..end];
            let sentence = starts.partition_point(|start| *start <= found.start) - 1;
            let (utterance, sentence_said) = sentences[sentence];
            let said = &transcript.utterances[utterance];
            for &(tracker, exclusion, dropped_e) in &self.owners[id] {
                if self.word_forms[id] && !suffix_allowed(suffix, dropped_e) {
                    continue;
                }
                if exclusion {
                    excluded.push((tracker, utterance));
                    continue;
                }
                // The rules that depend only on where the words were said are checked here,
                // before a hit costs any allocation; exclusions, which a later sentence of the
                // utterance can bring, are checked at the end.
                let rules = &self.trackers[tracker];
                let admitted = rules.side.admits(Side::of(said.role))
                    && rules.first_minutes.is_none_or(|minutes| said.start < minutes * 60.0)
                    && rules.last_minutes.is_none_or(|minutes| said.end > duration_s - minutes * 60.0)
                    && (!rules.only_questions
                        || *questions[sentence].get_or_insert_with(|| is_question(sentence_said)));
                if admitted {
                    candidates.push(Candidate { tracker, utterance, start: found.start, end });
                }
            }
        }
        excluded.sort_unstable();
        self.hits(candidates, &excluded, &buffer, transcript)
    }

    /// The hits from `candidates` (in the order the automaton found them, so by utterance),
    /// ordered by utterance, then tracker, then as found; one per tracker and starting word, as
    /// two phrases of one tracker ("price" with forms, "pricing") can match the same words, which
    /// is one mention. `excluded` (sorted) holds the (tracker, utterance) pairs an exclusion cancels.
    fn hits(
        &self,
        mut candidates: Vec<Candidate>,
        excluded: &[(usize, usize)],
        buffer: &str,
        transcript: &Transcript,
    ) -> Vec<TrackerHit> {
        debug_assert!(candidates.is_sorted_by_key(|candidate| candidate.utterance));
        let mut hits = Vec::with_capacity(candidates.len());
        for utterance_candidates in candidates.chunk_by_mut(|a, b| a.utterance == b.utterance) {
            // Stable, so a tracker's hits stay in the order found.
            utterance_candidates.sort_by_key(|candidate| candidate.tracker);
            for (index, candidate) in utterance_candidates.iter().enumerate() {
                let earlier = &utterance_candidates[..index];
                let repeated = earlier
                    .iter()
                    .rev()
                    .take_while(|other| other.tracker == candidate.tracker)
                    .any(|other| other.start == candidate.start);
                if repeated || excluded.binary_search(&(candidate.tracker, candidate.utterance)).is_ok() {
                    continue;
                }
                let said = &transcript.utterances[candidate.utterance];
                hits.push(TrackerHit {
                    tracker: self.trackers[candidate.tracker].name.clone(),
                    utterance: candidate.utterance,
                    time_s: said.start,
                    side: Side::of(said.role),
                    matched: buffer[candidate.start + 1..candidate.end].trim_end().to_owned(),
                });
            }
        }
        hits
    }
}

/// The call's text as the automaton searches it (see the module documentation) and, for
/// each sentence: where it starts in the buffer, its utterance, and the sentence as said (to
/// check, only when a question-only tracker hits it, whether it is a question).
struct CallText<'text> {
    buffer: String,
    starts: Vec<usize>,
    /// Per sentence (as `starts`): its utterance and its text.
    sentences: Vec<(usize, &'text str)>,
    /// The utterance being read.
    utterance: usize,
    /// Where the open sentence starts in `buffer`.
    sentence_start: usize,
}

impl<'text> Tokens<'text> for CallText<'text> {
    const SENTENCES: bool = true;

    fn push_ascii(&mut self, byte: u8) {
        self.buffer.push(char::from(byte));
    }

    fn push_ascii_run(&mut self, run: &str) {
        push_lowercase(&mut self.buffer, run);
    }

    fn push_char(&mut self, character: char) {
        self.buffer.push(character);
    }

    fn end_word(&mut self) {
        self.buffer.push(' ');
    }

    fn start_sentence(&mut self) {
        self.sentence_start = self.buffer.len();
        self.buffer.push(' ');
    }

    fn end_sentence(&mut self, sentence: &'text str) {
        self.starts.push(self.sentence_start);
        self.sentences.push((self.utterance, sentence));
    }
}

/// A match that passed its tracker's side, time-window and question rules: `start..end` is
/// its words in the normalised buffer, from the space before them.
struct Candidate {
    tracker: usize,
    utterance: usize,
    start: usize,
    end: usize,
}

/// An automaton for patterns that all start with a space, as the matchers' are: a DFA (the
/// fastest search, and the pattern sets are small enough for its memory) without a prefilter,
/// since looking ahead for the next space, every few bytes in normalised text, costs more
/// than it skips.
fn fast_overlapping_automaton<P: AsRef<[u8]>>(
    patterns: impl IntoIterator<Item = P>,
) -> Result<DFA, aho_corasick::BuildError> {
    DFA::builder().match_kind(MatchKind::Standard).prefilter(false).build(patterns)
}

fn suffix_allowed(suffix: &str, dropped_e: bool) -> bool {
    if dropped_e {
        // "pric" + "e", "es", "ed", "ing", "ation"…: the "e" came back, or a vowel suffix replaced it.
        suffix == "e"
            || suffix.strip_prefix('e').is_some_and(|rest| SUFFIXES.contains(&rest))
            || (SUFFIXES.contains(&suffix) && suffix.starts_with(['a', 'e', 'i']))
    } else {
        suffix.is_empty() || SUFFIXES.contains(&suffix)
    }
}
