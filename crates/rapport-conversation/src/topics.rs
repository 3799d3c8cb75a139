//! The topic timeline of a call: segments labelled small talk, discovery, demo, pricing,
//! objections and next steps, plus (when given) topics discovered across the company's calls.
//!
//! Rule-based, in three steps:
//! 1. Each utterance scores one point per cue phrase of each phase it contains (whole words,
//!    as the trackers match). Position weighs in: small talk cues count double in the first
//!    tenth of the call and half after it; next-step cues count double in the last fifth.
//!    The best-scoring phase labels the utterance; ties go to the earlier phase in the
//!    list below.
//! 2. An utterance with no cue continues the phase before it; leading ones are small talk
//!    while inside the first tenth of the call (or the first two minutes), else discovery.
//! 3. Runs of one label become segments, and a segment shorter than
//!    [`MIN_SEGMENT_S`] is folded into the one before it (the first into the one after), so
//!    a passing "price" in a demo does not cut it in three.
//!
//! Discovered topics (the `rapport-embed` clustering, one optional label per utterance)
//! become segments by steps 2–3 of their own, reported beside the phases.

use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use std::sync::OnceLock;

use crate::text::push_normalised;

/// A segment shorter than this is merged into its neighbour.
pub const MIN_SEGMENT_S: f64 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallPhase {
    SmallTalk,
    Discovery,
    Demo,
    Pricing,
    Objections,
    NextSteps,
}

const PHASES: [CallPhase; 6] = [
    CallPhase::SmallTalk,
    CallPhase::Discovery,
    CallPhase::Demo,
    CallPhase::Pricing,
    CallPhase::Objections,
    CallPhase::NextSteps,
];

impl CallPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            CallPhase::SmallTalk => "small_talk",
            CallPhase::Discovery => "discovery",
            CallPhase::Demo => "demo",
            CallPhase::Pricing => "pricing",
            CallPhase::Objections => "objections",
            CallPhase::NextSteps => "next_steps",
        }
    }

    fn cues(self) -> &'static [&'static str] {
        match self {
            CallPhase::SmallTalk => &[
                "how are you",
                "how was your weekend",
                "weekend",
                "weather",
                "vacation",
                "holiday",
                "good morning",
                "good afternoon",
                "nice to meet",
                "how is it going",
                "hows it going",
                "coffee",
                "traffic",
                "can you hear me",
                "hear me ok",
                "family",
                "kids",
                "trip",
            ],
            CallPhase::Discovery => &[
                "tell me about",
                "walk me through",
                "how do you",
                "what does your",
                "currently",
                "today you",
                "your process",
                "your team",
                "challenge",
                "challenges",
                "pain",
                "struggle",
                "goal",
                "goals",
                "priority",
                "priorities",
                "how many",
                "what tools",
                "who is involved",
                "workflow",
                "right now",
            ],
            CallPhase::Demo => &[
                "share my screen",
                "sharing my screen",
                "screen",
                "let me show",
                "show you",
                "this is the",
                "dashboard",
                "click",
                "here you can",
                "you can see",
                "this view",
                "demo",
                "feature",
                "report",
                "as you can see",
                "on the left",
                "on the right",
            ],
            CallPhase::Pricing => &[
                "price",
                "pricing",
                "cost",
                "costs",
                "per seat",
                "per user",
                "license",
                "discount",
                "quote",
                "annual",
                "contract",
                "invoice",
                "budget",
                "how much",
                "tier",
                "plan costs",
                "payment terms",
            ],
            CallPhase::Objections => &[
                "too expensive",
                "concern",
                "concerned",
                "worried",
                "not sure",
                "no budget",
                "not a priority",
                "happy with",
                "already have",
                "risk",
                "hesitant",
                "pushback",
                "competitor",
                "cheaper",
                "not the right time",
            ],
            CallPhase::NextSteps => &[
                "next step",
                "next steps",
                "follow up",
                "send over",
                "send you",
                "schedule",
                "calendar invite",
                "book a",
                "set up a",
                "proposal",
                "by friday",
                "next week",
                "loop in",
                "get back to",
                "touch base",
                "pilot",
                "trial",
            ],
        }
    }
}

/// One stretch of the call under one topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicSegment {
    /// A phase's name (`small_talk`, `discovery`, …) or a discovered topic's name.
    pub topic: String,
    pub source: TopicSource,
    pub start_s: f64,
    pub end_s: f64,
    /// Indices of the first and last utterances of the segment.
    pub first_utterance: usize,
    pub last_utterance: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicSource {
    /// The call phases of this module's rules.
    Phase,
    /// A topic found by clustering the company's calls (`rapport-embed`).
    Discovered,
}

/// The phase timeline, then, when `discovered` is given (one optional topic name per
/// utterance, aligned with the transcript), the discovered-topic timeline.
pub fn topic_timeline(transcript: &Transcript, discovered: Option<&[Option<String>]>) -> Vec<TopicSegment> {
    let duration_s = transcript.duration_s.unwrap_or(0.0).max(transcript.last_end());
    let mut labels: Vec<Option<String>> = transcript
        .utterances
        .iter()
        .map(|utterance| {
            phase_of(&utterance.text, utterance.start, duration_s).map(|p| p.as_str().to_owned())
        })
        .collect();
    fill_gaps(&mut labels, transcript, duration_s);
    let mut segments = segments_of(&labels, transcript, TopicSource::Phase);
    if let Some(discovered) = discovered {
        let mut labels: Vec<Option<String>> =
            (0..transcript.utterances.len()).map(|i| discovered.get(i).cloned().flatten()).collect();
        // Utterances before the first discovered topic stay unlabelled; later gaps continue it.
        let mut current: Option<String> = None;
        for label in &mut labels {
            match label {
                Some(name) => current = Some(name.clone()),
                None => label.clone_from(&current),
            }
        }
        segments.extend(segments_of(&labels, transcript, TopicSource::Discovered));
    }
    segments
}

/// The phase an utterance's cues point to, if any.
pub fn phase_of(text: &str, start_s: f64, duration_s: f64) -> Option<CallPhase> {
    let mut padded = String::with_capacity(text.len() + 2);
    padded.push(' ');
    push_normalised(&mut padded, text);
    let position = if duration_s > 0.0 { start_s / duration_s } else { 0.0 };
    let mut best: Option<(CallPhase, f64)> = None;
    for phase in PHASES {
        let hits = padded_cues(phase).iter().filter(|cue| padded.contains(cue.as_str())).count() as f64;
        let weight = match phase {
            CallPhase::SmallTalk if position < 0.1 => 2.0,
            CallPhase::SmallTalk => 0.5,
            CallPhase::NextSteps if position >= 0.8 => 2.0,
            _ => 1.0,
        };
        let score = hits * weight;
        if score > 0.0 && best.is_none_or(|(_, top)| score > top) {
            best = Some((phase, score));
        }
    }
    best.map(|(phase, _)| phase)
}

/// A phase's cues as ` words ` patterns, built once (indexed by discriminant: `PHASES` is in
/// declaration order).
fn padded_cues(phase: CallPhase) -> &'static [String] {
    static CUES: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let cues = CUES.get_or_init(|| {
        PHASES.iter().map(|phase| phase.cues().iter().map(|cue| format!(" {cue} ")).collect()).collect()
    });
    &cues[phase as usize]
}

fn fill_gaps(labels: &mut [Option<String>], transcript: &Transcript, duration_s: f64) {
    let mut current: Option<String> = None;
    for (label, utterance) in labels.iter_mut().zip(&transcript.utterances) {
        match label {
            Some(name) => current = Some(name.clone()),
            None => {
                let early = utterance.start < (duration_s * 0.1).max(120.0);
                let fallback = if early { CallPhase::SmallTalk } else { CallPhase::Discovery };
                *label = Some(current.clone().unwrap_or_else(|| fallback.as_str().to_owned()));
                if !early {
                    current.clone_from(label);
                }
            }
        }
    }
}

/// Runs of equal labels as segments, short ones folded into a neighbour.
fn segments_of(labels: &[Option<String>], transcript: &Transcript, source: TopicSource) -> Vec<TopicSegment> {
    let mut raw: Vec<TopicSegment> = Vec::new();
    for (index, (label, utterance)) in labels.iter().zip(&transcript.utterances).enumerate() {
        let Some(topic) = label else { continue };
        match raw.last_mut() {
            Some(last) if &last.topic == topic && last.last_utterance + 1 == index => {
                last.end_s = last.end_s.max(utterance.end);
                last.last_utterance = index;
            }
            _ => raw.push(TopicSegment {
                topic: topic.clone(),
                source,
                start_s: utterance.start,
                end_s: utterance.end,
                first_utterance: index,
                last_utterance: index,
            }),
        }
    }
    let mut merged: Vec<TopicSegment> = Vec::new();
    for segment in raw {
        let short = segment.end_s - segment.start_s < MIN_SEGMENT_S;
        match merged.last_mut() {
            Some(last) if short || last.topic == segment.topic => {
                last.end_s = last.end_s.max(segment.end_s);
                last.last_utterance = segment.last_utterance;
            }
            _ => merged.push(segment),
        }
    }
    // A short first segment goes into the one after it.
    if merged.len() > 1 && merged[0].end_s - merged[0].start_s < MIN_SEGMENT_S {
        let first = merged.remove(0);
        merged[0].start_s = first.start_s;
        merged[0].first_utterance = first.first_utterance;
    }
    merged
}
