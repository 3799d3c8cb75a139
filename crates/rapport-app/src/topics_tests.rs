//! Assigning a call to the stored topics, on hand-made centroids (no model needed): which
//! topics a call has and which utterance quotes each.

use rapport_domain::{SpeakerRole, UtteranceRow};
use rapport_store::topics::StoredTopic;

use super::*;
use crate::test_support::at;

fn topic(id: &str, centroid: Vec<f32>) -> StoredTopic {
    StoredTopic {
        id: id.into(),
        name: id.into(),
        generated_name: id.into(),
        renamed: false,
        top_terms: Vec::new(),
        size: 1,
        centroid,
        discovered_at: at(1),
    }
}

fn said(index: u32, role: SpeakerRole, text: &str) -> UtteranceRow {
    UtteranceRow {
        index,
        speaker: None,
        role,
        channel: None,
        start_ms: i64::from(index) * 1000,
        end_ms: i64::from(index) * 1000 + 900,
        text: text.into(),
        words: Vec::new(),
    }
}

#[test]
fn a_call_has_the_topics_two_of_its_utterances_are_on_with_the_customers_closest_quote() {
    let topics = [topic("a", vec![1.0, 0.0]), topic("b", vec![0.0, 2.0]), topic("c", vec![-1.0, 0.0])];
    let rows = [
        said(0, SpeakerRole::Rep, "this one is nearest to a"),
        said(1, SpeakerRole::Customer, "this one is near a too"),
        said(2, SpeakerRole::Customer, "short, skipped"),
        said(3, SpeakerRole::Rep, "rep talks about topic b"),
        said(4, SpeakerRole::Rep, "rep again on topic b"),
        said(5, SpeakerRole::Customer, "only once on topic c"),
    ];
    let vectors =
        [vec![1.0, 0.0], vec![0.8, 0.6], vec![1.0, 0.0], vec![0.0, 1.0], vec![0.28, 0.96], vec![-1.0, 0.0]];
    let found = call_topic_rows(&topics, &rows, &vectors);
    let summary: Vec<(&str, u32, u32, SpeakerRole)> =
        found.iter().map(|row| (row.topic.as_str(), row.utterances, row.utterance, row.side)).collect();
    // a: the customer's utterance is the quote although the rep's is closer; the short
    // utterance does not count; c is said once, so the call does not have it.
    assert_eq!(summary, vec![("a", 2, 1, SpeakerRole::Customer), ("b", 2, 3, SpeakerRole::Rep)]);
    assert!((found[0].score - 0.8).abs() < 1e-6, "cosine to the centroid: {}", found[0].score);
    assert!((found[1].score - 1.0).abs() < 1e-6, "centroids need not be unit vectors");
    assert_eq!(found[0].time_ms, 1000);
    assert!(call_topic_rows(&[], &rows, &vectors).is_empty());
}
