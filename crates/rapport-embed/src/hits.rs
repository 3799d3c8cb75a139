//! Smart-tracker hits in one call: every utterance scored by every tracker whose side
//! filter admits its speaker, kept when the score reaches the tracker's threshold.

use rapport_conversation::Side;
use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::SmartTracker;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmartHit {
    pub tracker: String,
    pub utterance_index: usize,
    /// Seconds from the start of the call.
    pub start: f64,
    pub speaker: Option<String>,
    pub side: Side,
    pub text: String,
    pub score: f32,
}

/// Hits in call order (then tracker order). `embeddings[i]` must be the embedding of
/// `transcript.utterances[i].text`.
///
/// # Panics
/// When the two lengths differ: that is a caller's bug, and hits attached to the wrong
/// utterances would be worse than none.
pub fn find_smart_hits(
    transcript: &Transcript,
    embeddings: &[Vec<f32>],
    trackers: &[SmartTracker],
) -> Vec<SmartHit> {
    assert_eq!(
        transcript.utterances.len(),
        embeddings.len(),
        "find_smart_hits needs one embedding per utterance"
    );
    let mut hits = Vec::new();
    for (index, (utterance, embedding)) in transcript.utterances.iter().zip(embeddings).enumerate() {
        let side = Side::of(utterance.role);
        for tracker in trackers.iter().filter(|tracker| tracker.side.admits(side)) {
            let score = tracker.model.probability(embedding);
            if score >= tracker.threshold {
                hits.push(SmartHit {
                    tracker: tracker.name.clone(),
                    utterance_index: index,
                    start: utterance.start,
                    speaker: utterance.speaker.clone(),
                    side,
                    text: utterance.text.clone(),
                    score,
                });
            }
        }
    }
    hits
}
