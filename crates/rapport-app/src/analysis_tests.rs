//! The analysis pipeline against a real SQLite store: calls analysed when added, PII redacted
//! before storage (and so out of search), trackers as data re-analysing stored calls.

use rapport_domain::CallId;
use rapport_store::analysis::{parse_search, AnalysisSettings, SearchQuery};
use rapport_store::Store;

use super::*;
use crate::calls::{add_transcript, NewCall};
use crate::test_support::{self, at};

fn transcript_json(lines: &[(&str, &str, &str)]) -> Vec<u8> {
    let utterances: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (speaker, role, text))| {
            serde_json::json!({"speaker": speaker, "role": role, "start": i as f64 * 5.0, "end": i as f64 * 5.0 + 4.0, "text": text})
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "utterances": utterances })).unwrap()
}

fn add(store: &dyn Store, lines: &[(&str, &str, &str)]) -> CallId {
    add_transcript(store, &NewCall::default(), "call.json", &transcript_json(lines), at(3)).unwrap().call.id
}

fn found(store: &dyn Store, text: &str) -> usize {
    store.search_utterances(&SearchQuery::new(parse_search(text, "q").unwrap(), 50)).unwrap().len()
}

const CALL: &[(&str, &str, &str)] = &[
    ("Rita", "rep", "What budget do you have this year?"),
    ("Ana", "customer", "Write to ana.lopez@acme.com or call +1 415 555 0134, the price is too high."),
    ("Rita", "rep", "Let's schedule a follow-up next week."),
];

#[test]
fn an_added_transcript_is_analysed_at_once() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let call = add(store, CALL);
    let stored = store.analysis(call).unwrap().expect("analysed when added");
    assert_eq!(stored.analysis_version, recorded_version(false));
    assert_eq!(stored.tracker_set_version, store.tracker_set().unwrap().set_version);
    let trackers: Vec<(&str, u32)> = stored.hits.iter().map(|h| (h.tracker.as_str(), h.utterance)).collect();
    assert!(trackers.contains(&("Budget", 0)), "{trackers:?}");
    assert!(trackers.contains(&("Pricing", 1)), "{trackers:?}");
    let document: CallAnalysisDocument = serde_json::from_str(&stored.document).unwrap();
    assert_eq!(document.stats.customer.questions, 0);
    assert_eq!(document.stats.rep.questions, 1);
    assert!(document.customer_questions.is_empty());
}

#[test]
fn pii_is_redacted_before_storage_and_so_never_found() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let call = add(store, CALL);
    let text = &store.call_utterances(call).unwrap()[1].text;
    assert_eq!(text, "Write to [email] or call [phone], the price is too high.");
    assert_eq!(found(store, "ana.lopez@acme.com"), 0, "an address is not findable");
    assert_eq!(found(store, "acme"), 0);
    assert_eq!(found(store, "415 555 0134"), 0);
    assert_eq!(found(store, "price"), 1, "the rest of the utterance is");

    // A workspace that turns redaction off keeps and finds the address.
    store.put_analysis_settings(&AnalysisSettings { redact_pii: false }).unwrap();
    let kept = add(store, CALL);
    assert!(store.call_utterances(kept).unwrap()[1].text.contains("ana.lopez@acme.com"));
    assert_eq!(found(store, "ana.lopez@acme.com"), 1);
}

#[test]
fn a_tracker_change_reanalyses_stored_calls_in_the_background() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let first = add(store, CALL);
    let second = add(store, &[("Ana", "customer", "We run everything on a widget today.")]);
    assert!(store.analysis(second).unwrap().unwrap().hits.is_empty());
    let before = store.tracker_set().unwrap().set_version;

    let widgets = crate::trackers::parse_tracker_file(
        "widgets.toml",
        "[[tracker]]\nname = \"Widgets\"\nphrases = [\"widget\"]\nword_forms = true\n",
    )
    .unwrap();
    crate::trackers::put(store, &widgets, None, at(4)).unwrap();
    let set = store.tracker_set().unwrap();
    assert!(set.set_version > before);
    let jobs = store
        .list_jobs(&rapport_store::JobQuery { kind: Some(ANALYZE_JOB.into()), ..Default::default() })
        .unwrap();
    assert_eq!(jobs.len(), 1, "one background re-analysis queued");
    assert_eq!(jobs[0].call_id, None);
    crate::trackers::put(store, &widgets, None, at(4)).unwrap();
    let jobs = store
        .list_jobs(&rapport_store::JobQuery { kind: Some(ANALYZE_JOB.into()), ..Default::default() })
        .unwrap();
    assert_eq!(jobs.len(), 1, "a waiting re-analysis is not queued twice");

    // What the worker runs for that job: every stale call, with progress.
    let mut reports = Vec::new();
    let done = analyze_stale(store, &|| at(5), &mut |done, total| reports.push((done, total))).unwrap();
    assert_eq!(done, 2);
    assert_eq!(reports.last(), Some(&(2, 2)));
    let hits = store.analysis(second).unwrap().unwrap().hits;
    assert_eq!(hits.iter().map(|h| h.tracker.as_str()).collect::<Vec<_>>(), ["Widgets"]);
    let current = store.tracker_set().unwrap().set_version;
    assert_eq!(store.analysis(first).unwrap().unwrap().tracker_set_version, current);
    assert_eq!(analyze_stale(store, &|| at(5), &mut |_, _| {}).unwrap(), 0, "resuming finds nothing left");

    crate::trackers::remove(store, "Widgets", None, at(6)).unwrap();
    let audit = crate::audit::list(store, Some("tracker.".into()), 10).unwrap();
    let actions: Vec<(&str, &str, &str)> = audit
        .iter()
        .map(|r| (r.entry.action.as_str(), r.entry.target.as_str(), r.entry.actor_label.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("tracker.remove", "Widgets", "command line"),
            ("tracker.put", "Widgets", "command line"),
            ("tracker.put", "Widgets", "command line")
        ],
        "every change is audited, newest first"
    );
    assert!(audit[1].entry.details.contains("widget"), "{}", audit[1].entry.details);
    assert!(store.analysis(second).unwrap().unwrap().hits.is_empty(), "a removed tracker's hits go with it");
    let error = crate::trackers::remove(store, "Widgets", None, at(6)).unwrap_err();
    assert!(matches!(error, AppError::NotFound { .. }), "{error}");
}

#[test]
fn bad_tracker_files_name_the_file_and_the_tracker() {
    let check = |text: &str, expected: &str| {
        let error = crate::trackers::parse_tracker_file("mine.toml", text).unwrap_err().to_string();
        assert!(error.starts_with("mine.toml: ") && error.contains(expected), "{error}");
    };
    check("[[tracker]]\nname = \"X\"\nphrases = [\"  \"]\n", "tracker \"X\": phrase");
    check("[[tracker]]\nname = \"X\"\nphrases = []\n", "phrases");
    check("[[tracker]]\nname = \"X\"\nphrase = [\"a\"]\n", "phrase");
    check("", "no [[tracker]]");
    let error = crate::trackers::parse_tracker_json("Y", br#"{"name": "Z", "phrases": ["a"]}"#).unwrap_err();
    assert!(matches!(&error, AppError::Invalid { field, .. } if field == "name"), "{error}");
    let tracker = crate::trackers::parse_tracker_json("Y", br#"{"phrases": ["a"]}"#).unwrap();
    assert_eq!(tracker.name, "Y");
}

#[test]
fn a_stored_analysis_holds_questions_next_steps_sentiment_topics_and_content_mentions() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let mut tx = store.begin_write().unwrap();
    tx.upsert_content(&[rapport_domain::ContentRecord {
        external_id: None,
        title: "The ROI Calculator".into(),
        url: "https://example.com/roi-calculator".into(),
        content_type: Some("tool".into()),
        funnel_stage: None,
    }])
    .unwrap();
    tx.commit().unwrap();
    let call = add(
        store,
        &[
            ("Rita", "rep", "How do you handle renewals today?"),
            ("Ana", "customer", "Badly, it is a painful manual process. Can you send me the ROI calculator?"),
            ("Rita", "rep", "Great, I'll send you the ROI calculator tomorrow."),
        ],
    );
    let stored = store.analysis(call).unwrap().expect("analysed when added");
    let document: CallAnalysisDocument = serde_json::from_str(&stored.document).unwrap();
    let questions = document.questions.expect("questions are stored");
    assert_eq!(questions.questions.len(), 2, "{questions:?}");
    assert_eq!(document.customer_questions.len(), 1);
    assert_eq!(document.customer_questions[0].utterance, 1);
    assert!(!document.next_steps.is_empty(), "the rep's promise is a next step");
    assert!(document.sentiment.is_some());
    assert!(!document.topics.is_empty());
    let mentions: Vec<(u32, &str)> =
        stored.content_mentions.iter().map(|m| (m.utterance, m.label.as_str())).collect();
    assert_eq!(mentions, [(1, "The ROI Calculator"), (2, "The ROI Calculator")]);
    assert!(stored.content_mentions.iter().all(|m| m.content_id.is_some()));
}

#[test]
fn a_tracker_written_as_toml_reads_back_the_same() {
    let text = "[[tracker]]\nname = \"Security \\\"review\\\"\"\nphrases = [\"SOC 2\", \"pen test\"]\n\
                exclusions = [\"no review\"]\nside = \"customer\"\nonly_questions = true\nlast_minutes = 5.0\n";
    let parsed = crate::trackers::parse_tracker_file("t.toml", text).unwrap();
    let written = crate::trackers::trackers_toml(&parsed);
    assert_eq!(crate::trackers::parse_tracker_file("t.toml", &written).unwrap(), parsed, "{written}");
    assert!(written.starts_with("[[tracker]]"), "{written}");
}
