//! Checks of the topic storage: a discovery replaces the topics (keeping names people gave to
//! topics it finds again) and clears every call's rows; renames are checked; a call's topic
//! rows are checked and replaced as a whole.

use rapport_domain::{CallId, SpeakerRole, UtteranceRow};
use rapport_store::topics::{CallTopicRow, NewTopic};
use rapport_store::{Store, StoreError};

use crate::calls::call_record;
use crate::fixtures::*;

fn topic(id: &str, name: &str, size: u64, centroid: Vec<f32>) -> NewTopic {
    NewTopic {
        id: id.to_owned(),
        name: name.to_owned(),
        top_terms: name.split(", ").map(str::to_owned).collect(),
        size,
        centroid,
    }
}

fn row(topic: &str, utterance: u32, side: SpeakerRole) -> CallTopicRow {
    CallTopicRow {
        topic: topic.to_owned(),
        utterances: 2,
        utterance,
        time_ms: i64::from(utterance) * 5000,
        side,
        score: 0.75,
    }
}

fn call_with_transcript(store: &dyn Store, title: &str, utterances: u32) -> CallId {
    let call = store.create_call(&call_record(title), day(21, 0)).unwrap();
    let rows: Vec<UtteranceRow> = (0..utterances)
        .map(|index| UtteranceRow {
            index,
            speaker: Some("Ana".into()),
            role: SpeakerRole::Customer,
            channel: None,
            start_ms: i64::from(index) * 5000,
            end_ms: i64::from(index) * 5000 + 4000,
            text: format!("sentence {index}"),
            words: Vec::new(),
        })
        .collect();
    store.replace_transcript(call.id, &rows, None, day(21, 1)).unwrap();
    call.id
}

fn invalid_field<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Invalid { field, .. }) => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

pub fn discovery_replaces_topics_and_keeps_given_names(store: &dyn Store) {
    assert!(store.topics().unwrap().is_empty());
    let before = store.revision().unwrap();
    let stored = store
        .replace_topics(
            &[
                topic("topic-a", "price, discount, budget", 3, vec![0.5, -0.25, 1.0]),
                topic("topic-b", "security, audit, soc", 7, vec![0.0, 1.0, 0.0]),
            ],
            day(30, 9),
        )
        .unwrap();
    assert!(store.revision().unwrap() > before, "a discovery moves the revision");
    assert_eq!(
        stored.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["topic-b", "topic-a"],
        "largest first"
    );
    let a = stored.iter().find(|t| t.id == "topic-a").unwrap();
    assert_eq!(a.centroid, vec![0.5, -0.25, 1.0], "centroids keep every bit");
    assert_eq!(a.top_terms, ["price", "discount", "budget"]);
    assert_eq!((a.name.as_str(), a.renamed, a.discovered_at), ("price, discount, budget", false, day(30, 9)));

    let renamed = store.rename_topic("topic-a", "  Pricing pushback ", day(30, 10)).unwrap();
    assert_eq!((renamed.name.as_str(), renamed.renamed), ("Pricing pushback", true));
    assert_eq!(renamed.generated_name, "price, discount, budget");
    assert!(matches!(store.rename_topic("topic-x", "y", day(30, 10)), Err(StoreError::NotFound { .. })));
    assert_eq!(invalid_field(store.rename_topic("topic-a", "  ", day(30, 10))), "name");
    assert_eq!(store.topics().unwrap().iter().find(|t| t.id == "topic-a").unwrap().name, "Pricing pushback");

    let call = call_with_transcript(store, "topics", 3);
    store.put_call_topics(call, &[row("topic-a", 1, SpeakerRole::Customer)]).unwrap();

    // Found again: topic-a keeps its given name (and takes the new terms), topic-b is gone.
    let again = store
        .replace_topics(
            &[
                topic("topic-a", "price, discount, cost", 4, vec![0.5, 0.0, 1.0]),
                topic("topic-c", "onboarding, training, rollout", 2, vec![1.0, 0.0, 0.0]),
            ],
            day(31, 9),
        )
        .unwrap();
    let ids: Vec<&str> = again.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["topic-a", "topic-c"]);
    let a = &again[0];
    assert_eq!(
        (a.name.as_str(), a.renamed, a.generated_name.as_str()),
        ("Pricing pushback", true, "price, discount, cost")
    );
    assert_eq!((a.size, a.centroid.clone()), (4, vec![0.5, 0.0, 1.0]));
    assert!(store.call_topics(call).unwrap().is_empty(), "rows of the old clustering are cleared");

    let twice = [topic("t", "x", 1, vec![1.0]), topic("t", "y", 1, vec![1.0])];
    assert_eq!(invalid_field(store.replace_topics(&twice, day(32, 9))), "topics[1].id");
    assert_eq!(store.topics().unwrap().len(), 2, "a refused discovery changes nothing");
}

pub fn call_topic_rows_are_checked_and_replaced(store: &dyn Store) {
    store
        .replace_topics(
            &[topic("topic-a", "price", 3, vec![1.0, 0.0]), topic("topic-b", "security", 2, vec![0.0, 1.0])],
            day(30, 9),
        )
        .unwrap();
    let first = call_with_transcript(store, "first", 4);
    let second = call_with_transcript(store, "second", 2);
    let before = store.revision().unwrap();
    store
        .put_call_topics(
            first,
            &[row("topic-b", 3, SpeakerRole::Rep), row("topic-a", 0, SpeakerRole::Customer)],
        )
        .unwrap();
    assert!(store.revision().unwrap() > before);
    let mut rows = store.call_topics(first).unwrap();
    rows.sort_by(|a, b| a.topic.cmp(&b.topic));
    assert_eq!(rows, vec![row("topic-a", 0, SpeakerRole::Customer), row("topic-b", 3, SpeakerRole::Rep)]);

    // Replaced as a whole, never appended.
    store.put_call_topics(first, &[row("topic-a", 2, SpeakerRole::Customer)]).unwrap();
    assert_eq!(store.call_topics(first).unwrap(), vec![row("topic-a", 2, SpeakerRole::Customer)]);
    store.put_call_topics(second, &[row("topic-b", 1, SpeakerRole::Customer)]).unwrap();
    let all: Vec<(CallId, String)> =
        store.topic_hits().unwrap().into_iter().map(|hit| (hit.call, hit.row.topic)).collect();
    assert_eq!(all, vec![(first, "topic-a".to_owned()), (second, "topic-b".to_owned())]);

    // Refused rows write nothing.
    assert_eq!(
        invalid_field(store.put_call_topics(first, &[row("topic-z", 0, SpeakerRole::Customer)])),
        "topics[0].topic"
    );
    assert_eq!(
        invalid_field(store.put_call_topics(first, &[row("topic-a", 4, SpeakerRole::Customer)])),
        "topics[0].utterance"
    );
    let twice = [row("topic-a", 0, SpeakerRole::Customer), row("topic-a", 1, SpeakerRole::Customer)];
    assert_eq!(invalid_field(store.put_call_topics(first, &twice)), "topics[1].topic");
    assert_eq!(store.call_topics(first).unwrap(), vec![row("topic-a", 2, SpeakerRole::Customer)]);
    let unknown = store.put_call_topics(CallId(second.0 + 100), &[]);
    assert!(matches!(unknown, Err(StoreError::NotFound { .. })), "{unknown:?}");
}
