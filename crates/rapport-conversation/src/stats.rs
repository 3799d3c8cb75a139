//! Interaction stats for one call, as the product defines them (PRODUCT.md, "The
//! interaction stats"), with overlapping speech and silence handled explicitly.
//!
//! - Speaking time of a side (or speaker) is the union of its utterances' intervals: two reps
//!   talking at once count once for the rep side. When both sides talk at once, that time
//!   counts for both sides and is reported as `overlap_s`.
//! - Silence is call duration minus the union of all speech.
//! - Call duration is the source's recording length when it gives one, else the last
//!   utterance's end (whichever is longer, so speech is never outside the call).
//! - A *stretch* is a maximal run of consecutive utterances (in start order) from one side;
//!   its length runs from its first start to its latest end, pauses included, because no one
//!   from the other side spoke in between. Longest monologue / customer story are the longest
//!   rep / customer stretches.
//! - Interactivity: side switches (stretch boundaries) per minute of call, scaled so that
//!   [`INTERACTIVITY_FULL_SCALE_SWITCHES_PER_MINUTE`] or more scores 10, linearly below.
//! - Patience: mean gap between a customer stretch's end and the next rep stretch's start.
//!   Negative gaps (the rep started before the customer finished) are interruptions: they
//!   are counted in `interruptions`, not averaged, since an overlap is no pause.
//! - Questions: see [`crate::is_question`]; the rate is rep questions per hour of call.

use rapport_transcript::{Role, Transcript, Utterance};
use serde::{Deserialize, Serialize};

use crate::counts::{text_counts, TextCounts};
use crate::intervals::union_length;
use crate::Side;

/// Side switches per minute that score 10 on the interactivity scale: one switch every ten
/// seconds is a brisk back-and-forth; more is not meaningfully "more interactive".
pub const INTERACTIVITY_FULL_SCALE_SWITCHES_PER_MINUTE: f64 = 6.0;

/// Everything [`call_stats`] measures. Ratios and averages are `None` when undefined (no
/// speech, no customer turn), never a misleading zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallStats {
    pub duration_s: f64,
    /// Share (0–1) of speaking time that is the reps'.
    pub talk_ratio: Option<f64>,
    pub longest_monologue_s: f64,
    pub longest_customer_story_s: f64,
    /// 0–10; see the module documentation for the scale.
    pub interactivity: f64,
    pub patience_s: Option<f64>,
    pub question_rate_per_hour: Option<f64>,
    pub silence_s: f64,
    /// Time both sides spoke at once.
    pub overlap_s: f64,
    pub side_switches: usize,
    pub interruptions: usize,
    pub rep: SideStats,
    pub customer: SideStats,
    pub speakers: Vec<SpeakerStats>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SideStats {
    pub speaking_s: f64,
    pub words: usize,
    /// Words per minute of this side's own speaking time.
    pub words_per_minute: Option<f64>,
    pub questions: usize,
    pub fillers: usize,
    /// Fillers per 100 words.
    pub filler_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerStats {
    /// The speaker label, or `unknown` when the source names no one.
    pub speaker: String,
    pub role: Role,
    pub speaking_s: f64,
    pub words: usize,
    pub words_per_minute: Option<f64>,
}

pub fn call_stats(transcript: &Transcript) -> CallStats {
    let mut utterances: Vec<&Utterance> = transcript.utterances.iter().collect();
    utterances.sort_by(|a, b| a.start.total_cmp(&b.start));
    let duration_s = transcript.duration_s.unwrap_or(0.0).max(transcript.last_end());
    let spans =
        |side: Side| utterances.iter().filter(move |u| Side::of(u.role) == side).map(|u| (u.start, u.end));
    let speech_s = union_length(utterances.iter().map(|u| (u.start, u.end)));
    // Each utterance's text is read once, for its side's and its speaker's figures.
    let counts: Vec<TextCounts> = utterances.iter().map(|u| text_counts(&u.text)).collect();
    let rep = side_stats(&utterances, &counts, Side::Rep, union_length(spans(Side::Rep)));
    let customer = side_stats(&utterances, &counts, Side::Customer, union_length(spans(Side::Customer)));
    let stretches = stretches(&utterances);
    let longest =
        |side: Side| stretches.iter().filter(|s| s.side == side).map(|s| s.end - s.start).fold(0.0, f64::max);
    let side_switches = stretches.len().saturating_sub(1);
    let minutes = duration_s / 60.0;
    let interactivity = if minutes > 0.0 {
        (10.0 * side_switches as f64 / minutes / INTERACTIVITY_FULL_SCALE_SWITCHES_PER_MINUTE).min(10.0)
    } else {
        0.0
    };
    let gaps: Vec<f64> = stretches
        .windows(2)
        .filter(|pair| pair[0].side == Side::Customer && pair[1].side == Side::Rep)
        .map(|pair| pair[1].start - pair[0].end)
        .collect();
    let pauses: Vec<f64> = gaps.iter().copied().filter(|gap| *gap >= 0.0).collect();
    let talk = rep.speaking_s + customer.speaking_s;
    CallStats {
        duration_s,
        talk_ratio: (talk > 0.0).then(|| rep.speaking_s / talk),
        longest_monologue_s: longest(Side::Rep),
        longest_customer_story_s: longest(Side::Customer),
        interactivity,
        patience_s: (!pauses.is_empty()).then(|| pauses.iter().sum::<f64>() / pauses.len() as f64),
        question_rate_per_hour: (duration_s > 0.0).then(|| rep.questions as f64 / (duration_s / 3600.0)),
        silence_s: (duration_s - speech_s).max(0.0),
        // Inclusion–exclusion: time in both sides' unions.
        overlap_s: (talk - speech_s).max(0.0),
        side_switches,
        interruptions: gaps.len() - pauses.len(),
        rep,
        customer,
        speakers: speaker_stats(&utterances, &counts),
    }
}

struct Stretch {
    side: Side,
    start: f64,
    end: f64,
}

fn stretches(utterances: &[&Utterance]) -> Vec<Stretch> {
    let mut stretches: Vec<Stretch> = Vec::new();
    for utterance in utterances {
        let side = Side::of(utterance.role);
        match stretches.last_mut() {
            Some(last) if last.side == side => last.end = last.end.max(utterance.end),
            _ => stretches.push(Stretch { side, start: utterance.start, end: utterance.end }),
        }
    }
    stretches
}

/// `counts` are the utterances' own, in the same order.
fn side_stats(utterances: &[&Utterance], counts: &[TextCounts], side: Side, speaking_s: f64) -> SideStats {
    let mut stats = SideStats { speaking_s, ..SideStats::default() };
    for (_, counts) in utterances.iter().zip(counts).filter(|(u, _)| Side::of(u.role) == side) {
        stats.words += counts.words;
        stats.fillers += counts.fillers;
        stats.questions += counts.questions;
    }
    stats.words_per_minute = per_minute(stats.words, speaking_s);
    stats.filler_rate = (stats.words > 0).then(|| 100.0 * stats.fillers as f64 / stats.words as f64);
    stats
}

fn speaker_stats(utterances: &[&Utterance], counts: &[TextCounts]) -> Vec<SpeakerStats> {
    // In order of first appearance; a speaker's role is the one of their first utterance.
    struct Speaker {
        label: String,
        role: Role,
        spans: Vec<(f64, f64)>,
        words: usize,
    }
    let mut speakers: Vec<Speaker> = Vec::new();
    for (utterance, counts) in utterances.iter().zip(counts) {
        let label = utterance.speaker.as_deref().unwrap_or("unknown");
        let index = match speakers.iter().position(|speaker| speaker.label == label) {
            Some(index) => index,
            None => {
                let role = utterance.role;
                speakers.push(Speaker { label: label.to_owned(), role, spans: Vec::new(), words: 0 });
                speakers.len() - 1
            }
        };
        speakers[index].spans.push((utterance.start, utterance.end));
        speakers[index].words += counts.words;
    }
    speakers
        .into_iter()
        .map(|speaker| {
            let speaking_s = union_length(speaker.spans);
            let words_per_minute = per_minute(speaker.words, speaking_s);
            SpeakerStats {
                speaker: speaker.label,
                role: speaker.role,
                speaking_s,
                words: speaker.words,
                words_per_minute,
            }
        })
        .collect()
}

fn per_minute(count: usize, seconds: f64) -> Option<f64> {
    (seconds > 0.0).then(|| count as f64 / (seconds / 60.0))
}
