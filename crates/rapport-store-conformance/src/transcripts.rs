//! Checks of stored transcripts: a replacement leaves exactly the new utterances and words (a
//! re-run never duplicates), a refused replacement leaves the old ones, reads come in order.

use rapport_domain::{CallId, CallStatus, SpeakerRole, UtteranceRow, WordRow};
use rapport_store::{Store, StoreError};

use crate::calls::{call_record, linked_call, seed_crm};
use crate::fixtures::day;

/// `count` utterances alternating rep and customer on channels 0 and 1, two seconds each,
/// every one with a word per word of its text.
pub fn utterances(count: u32, text: &str) -> Vec<UtteranceRow> {
    (0..count)
        .map(|index| {
            let start_ms = i64::from(index) * 2000;
            let words = text
                .split(' ')
                .enumerate()
                .map(|(w, word)| WordRow {
                    text: word.to_owned(),
                    start_ms: start_ms + w as i64 * 300,
                    end_ms: start_ms + w as i64 * 300 + 250,
                    confidence: Some(0.5 + w as f32 / 100.0),
                })
                .collect();
            UtteranceRow {
                index,
                speaker: Some(if index % 2 == 0 { "Rita" } else { "Ana" }.to_owned()),
                role: if index % 2 == 0 { SpeakerRole::Rep } else { SpeakerRole::Customer },
                channel: Some(index % 2),
                start_ms,
                end_ms: start_ms + 1900,
                text: format!("{text} {index}"),
                words,
            }
        })
        .collect()
}

pub fn replacing_a_transcript_twice_keeps_only_the_second(store: &dyn Store) {
    seed_crm(store);
    let call = store.create_call(&linked_call("a"), day(21, 0)).unwrap();
    let other = store.create_call(&call_record("b"), day(21, 0)).unwrap();
    let first = utterances(5, "we use a spreadsheet today");
    let stored = store.replace_transcript(call.id, &first, Some(10_000), day(21, 1)).unwrap();
    assert_eq!((stored.status, stored.record.duration_ms), (CallStatus::Ready, Some(10_000)));
    assert_eq!(store.call_utterances(call.id).unwrap(), first);
    let other_words = utterances(2, "pricing question");
    store.replace_transcript(other.id, &other_words, None, day(21, 1)).unwrap();

    // The re-run of a killed worker: same call, a different (here shorter) result.
    let mut second = utterances(3, "the price is too high");
    second[1].words.clear();
    second[2].speaker = None;
    second[2].channel = None;
    second[2].words[0].confidence = None;
    let stored = store.replace_transcript(call.id, &second, None, day(21, 2)).unwrap();
    assert_eq!(stored.record.duration_ms, Some(10_000), "no duration given keeps the one stored");
    assert_eq!(store.call_utterances(call.id).unwrap(), second, "exactly the second set, nothing duplicated");
    assert_eq!(store.call_utterances(other.id).unwrap(), other_words, "other calls are untouched");

    store.replace_transcript(call.id, &second, Some(6_000), day(21, 3)).unwrap();
    assert_eq!(store.call_utterances(call.id).unwrap(), second, "the same set twice is still one set");
    assert_eq!(store.call(call.id).unwrap().unwrap().record.duration_ms, Some(6_000));
    store.replace_transcript(call.id, &[], None, day(21, 4)).unwrap();
    assert!(store.call_utterances(call.id).unwrap().is_empty());
}

pub fn a_refused_replacement_leaves_the_previous_transcript(store: &dyn Store) {
    seed_crm(store);
    let call = store.create_call(&linked_call("a"), day(21, 0)).unwrap();
    let first = utterances(4, "we use a spreadsheet today");
    store.replace_transcript(call.id, &first, Some(8_000), day(21, 1)).unwrap();
    let revision = store.revision().unwrap();

    // Rows 0 and 1 are fine and get written before row 2 is refused: the whole replacement
    // must roll back, the deletion of the first set included.
    let mut broken = utterances(6, "a new take");
    broken[2].end_ms = broken[2].start_ms - 1;
    let error = store.replace_transcript(call.id, &broken, Some(12_000), day(21, 2)).unwrap_err();
    assert!(
        matches!(&error, StoreError::Invalid { field, .. } if field == "utterances[2].end_ms"),
        "the refused row and field are named: {error:?}"
    );
    let mut misnumbered = utterances(3, "a new take");
    misnumbered[1].index = 7;
    let error = store.replace_transcript(call.id, &misnumbered, None, day(21, 2)).unwrap_err();
    assert!(
        matches!(&error, StoreError::Invalid { field, .. } if field == "utterances[1].index"),
        "{error:?}"
    );
    let mut bad_word = utterances(3, "a new take");
    bad_word[2].words[1].confidence = Some(2.0);
    let error = store.replace_transcript(call.id, &bad_word, None, day(21, 2)).unwrap_err();
    assert!(
        matches!(&error, StoreError::Invalid { field, .. } if field == "utterances[2].words[1].confidence"),
        "{error:?}"
    );

    assert_eq!(store.call_utterances(call.id).unwrap(), first, "the first set is intact");
    let stored = store.call(call.id).unwrap().unwrap();
    assert_eq!((stored.status, stored.record.duration_ms), (CallStatus::Ready, Some(8_000)));
    assert_eq!(store.revision().unwrap(), revision, "refused replacements wrote nothing");
}

pub fn transcripts_of_unknown_calls_are_not_found(store: &dyn Store) {
    let missing = CallId(4242);
    let error = store.replace_transcript(missing, &utterances(1, "hello"), None, day(21, 0)).unwrap_err();
    assert!(matches!(&error, StoreError::NotFound { what: "call", key } if key == "4242"), "{error:?}");
    let error = store.call_utterances(missing).unwrap_err();
    assert!(matches!(error, StoreError::NotFound { what: "call", .. }), "{error:?}");
    let call = store.create_call(&call_record("a"), day(21, 0)).unwrap();
    assert!(store.call_utterances(call.id).unwrap().is_empty(), "no transcript yet");
}

pub fn concurrent_replacements_of_one_call_take_turns(store: &dyn Store) {
    let call = store.create_call(&call_record("a"), day(21, 0)).unwrap();
    let takes: Vec<Vec<UtteranceRow>> =
        (0..4).map(|t| utterances(3 + t, &format!("take {t} of the call"))).collect();
    // Workers racing on one call (a stale one and its successor): every replacement succeeds
    // and the result is exactly one of the takes, never a mix or a duplicate.
    std::thread::scope(|scope| {
        for take in &takes {
            scope.spawn(move || {
                for round in 0..5 {
                    store.replace_transcript(call.id, take, None, day(21, round)).unwrap();
                }
            });
        }
    });
    let stored = store.call_utterances(call.id).unwrap();
    assert!(takes.contains(&stored), "the last replacement wins whole: {stored:?}");
}
