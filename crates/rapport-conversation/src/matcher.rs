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

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::text::{is_question, normalised_tokens, push_normalised, sentences};
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
    automaton: AhoCorasick,
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
        let automaton = AhoCorasick::new(patterns.iter().map(|(pattern, _)| pattern))?;
        Ok(TrackerMatcher { trackers, automaton, owners, word_forms })
    }

    /// Distinct phrases in the automaton (a phrase shared by trackers is stored once).
    pub fn pattern_count(&self) -> usize {
        self.automaton.patterns_len()
    }

    /// Every hit of every tracker, in order of utterance, then tracker.
    pub fn find(&self, transcript: &Transcript) -> Vec<TrackerHit> {
        let duration_s = transcript.duration_s.unwrap_or(0.0).max(transcript.last_end());
        // For each sentence: where its text starts in the buffer, its utterance, and the
        // sentence as said (to check, only when a question-only tracker hits it, whether it is
        // a question).
        let mut buffer = String::new();
        let mut sentence_starts: Vec<(usize, usize, &str)> = Vec::new();
        for (index, utterance) in transcript.utterances.iter().enumerate() {
            for sentence in sentences(&utterance.text) {
                sentence_starts.push((buffer.len(), index, sentence));
                buffer.push(' ');
                push_normalised(&mut buffer, sentence);
            }
        }
        let mut candidates: Vec<(usize, usize, &str, String)> = Vec::new();
        let mut excluded: HashSet<(usize, usize)> = HashSet::new();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        for found in self.automaton.find_overlapping_iter(&buffer) {
            let id = found.pattern().as_usize();
            // A word-form match runs on to the end of its word; an exact one ends at its space.
            let end = if self.word_forms[id] {
                buffer[found.end()..].find(' ').map_or(buffer.len(), |offset| found.end() + offset)
            } else {
                found.end()
            };
            let suffix = &buffer[found.end()..end];
            let sentence = sentence_starts.partition_point(|(start, _, _)| *start <= found.start()) - 1;
            let (_, utterance, said) = sentence_starts[sentence];
            for &(tracker, exclusion, dropped_e) in &self.owners[id] {
                if self.word_forms[id] && !suffix_allowed(suffix, dropped_e) {
                    continue;
                }
                if exclusion {
                    excluded.insert((tracker, utterance));
                } else {
                    let matched = buffer[found.start() + 1..end].trim_end().to_owned();
                    // Two phrases of one tracker ("price" with forms, "pricing") can match
                    // the same words: that is one mention, so one hit per starting word.
                    if seen.insert((tracker, found.start())) {
                        candidates.push((tracker, utterance, said, matched));
                    }
                }
            }
        }
        let mut hits: Vec<(usize, TrackerHit)> = candidates
            .into_iter()
            .filter(|(tracker, utterance, sentence, _)| {
                let rules = &self.trackers[*tracker];
                let said = &transcript.utterances[*utterance];
                !excluded.contains(&(*tracker, *utterance))
                    && rules.side.admits(Side::of(said.role))
                    && (!rules.only_questions || is_question(sentence))
                    && rules.first_minutes.is_none_or(|minutes| said.start < minutes * 60.0)
                    && rules.last_minutes.is_none_or(|minutes| said.end > duration_s - minutes * 60.0)
            })
            .map(|(tracker, utterance, _, matched)| {
                let said = &transcript.utterances[utterance];
                let name = self.trackers[tracker].name.clone();
                let hit = TrackerHit {
                    tracker: name,
                    utterance,
                    time_s: said.start,
                    side: Side::of(said.role),
                    matched,
                };
                (tracker, hit)
            })
            .collect();
        hits.sort_by_key(|(tracker, hit)| (hit.utterance, *tracker));
        hits.into_iter().map(|(_, hit)| hit).collect()
    }
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
