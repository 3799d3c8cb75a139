//! The voice-of-the-customer figures against a small case computed by hand.

use chrono::{TimeZone, Utc};
use rapport_domain::{AccountId, CallId, OpportunityOutcome, PersonId, SpeakerRole};
use rapport_store::analysis::{CallAnalysisFacts, TrackerHitRow, TrackerKind};

use super::*;

fn hit(tracker: &str, side: SpeakerRole) -> TrackerHitRow {
    TrackerHitRow { tracker: tracker.into(), utterance: 1, time_ms: 5000, side, speaker: None, score: None }
}

fn call(
    id: i64,
    month: u32,
    outcome: Option<OpportunityOutcome>,
    industry: &str,
    hits: Vec<TrackerHitRow>,
) -> CallAnalysisFacts {
    CallAnalysisFacts {
        call: CallId(id),
        title: format!("call {id}"),
        started_at: Utc.with_ymd_and_hms(2025, month, 1 + id as u32 % 20, 9, 0, 0).unwrap(),
        duration_ms: Some(60_000),
        person: Some(PersonId(id)),
        account: Some(AccountId(id)),
        opportunity: None,
        rep: None,
        outcome,
        industry: Some(industry.into()),
        employees: None,
        source: None,
        campaign: None,
        document: "{}".into(),
        hits,
    }
}

/// 10 won calls (2 mention pricing), 10 lost (6 do), 1 open (it does), and rep-side hits that
/// must not count.
fn case() -> Vec<CallAnalysisFacts> {
    let mut calls = Vec::new();
    for i in 0..10 {
        let mut hits = vec![hit("Pricing", SpeakerRole::Rep)];
        if i < 2 {
            hits.push(hit("Pricing", SpeakerRole::Customer));
        }
        calls.push(call(i, 1 + (i as u32 % 2), Some(OpportunityOutcome::Won), "software", hits));
    }
    for i in 10..20 {
        let hits = if i < 16 { vec![hit("Pricing", SpeakerRole::Customer)] } else { Vec::new() };
        calls.push(call(i, 2, Some(OpportunityOutcome::Lost), "retail", hits));
    }
    calls.push(call(
        20,
        3,
        Some(OpportunityOutcome::Open),
        "retail",
        vec![hit("Pricing", SpeakerRole::Unknown)],
    ));
    calls
}

fn close(actual: Option<f64>, expected: f64, tolerance: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() < tolerance, "{actual} vs {expected}");
}

#[test]
fn lift_and_significance_match_the_hand_computation() {
    let kinds = BTreeMap::from([
        ("Pricing".to_owned(), TrackerKind::Keyword),
        ("Unsaid".to_owned(), TrackerKind::Smart),
    ]);
    let report = compute_voc(&case(), Some(Segment::Industry), &kinds);
    assert_eq!((report.calls, report.won_calls, report.lost_calls), (21, 10, 10));
    let pricing = &report.trackers[0];
    assert_eq!(pricing.tracker, "Pricing");
    assert_eq!((pricing.overall.calls, pricing.overall.mentioning), (21, 9), "rep-side hits do not count");
    assert_eq!((pricing.won.mentioning, pricing.lost.mentioning), (2, 6));
    // Won share 0.2, lost 0.6: lift 1/3. Pooled 0.4: z = -0.4 / sqrt(0.4 * 0.6 * 0.2) = -1.8257,
    // two-sided p = erfc(1.8257 / sqrt 2) = 0.067889.
    close(pricing.lift, 1.0 / 3.0, 1e-12);
    close(pricing.p_value, 0.067_889_154_86, 1e-6);
    let segments: Vec<(&str, u64, u64)> =
        pricing.segments.iter().map(|g| (g.group.as_str(), g.share.calls, g.share.mentioning)).collect();
    assert_eq!(segments, vec![("retail", 11, 7), ("software", 10, 2)]);
    let months: Vec<(&str, u64, u64)> =
        pricing.months.iter().map(|g| (g.group.as_str(), g.share.calls, g.share.mentioning)).collect();
    assert_eq!(months, vec![("2025-01", 5, 1), ("2025-02", 15, 7), ("2025-03", 1, 1)]);
    assert_eq!(pricing.quotes.len(), QUOTES);
    assert_eq!(pricing.quotes[0].call, CallId(20), "newest call first");

    let unsaid = &report.trackers[1];
    assert_eq!(
        (unsaid.tracker.as_str(), unsaid.kind, unsaid.overall.mentioning),
        ("Unsaid", VocKind::Smart, 0)
    );
    assert_eq!((unsaid.lift, unsaid.p_value), (None, None), "nobody mentions it: no test");
}

#[test]
fn the_z_test_is_symmetric_and_undefined_for_empty_groups() {
    let share = |calls, mentioning| Share { calls, mentioning, share: None };
    close(two_proportion_p_value(share(4, 3), share(4, 1)), 0.157_299_207, 1e-6);
    assert_eq!(
        two_proportion_p_value(share(4, 3), share(4, 1)),
        two_proportion_p_value(share(4, 1), share(4, 3))
    );
    assert_eq!(two_proportion_p_value(share(0, 0), share(4, 1)), None);
    assert_eq!(two_proportion_p_value(share(4, 4), share(4, 4)), None);
    close(two_proportion_p_value(share(50, 25), share(50, 25)), 1.0, 1e-6);
}

#[test]
fn discovered_topics_are_items_with_their_given_name_and_quotes() {
    use rapport_store::topics::{CallTopicRow, NewTopic};
    let fixture = crate::test_support::store();
    let store = &*fixture.store;
    let json = |lines: &[(&str, &str)]| {
        let utterances: Vec<serde_json::Value> = lines
            .iter()
            .enumerate()
            .map(|(i, (role, text))| serde_json::json!({"speaker": role, "role": role, "start": i * 5, "end": i * 5 + 4, "text": text}))
            .collect();
        serde_json::to_vec(&serde_json::json!({ "utterances": utterances })).unwrap()
    };
    let add = |lines: &[(&str, &str)]| {
        crate::calls::add_transcript(
            store,
            &crate::calls::NewCall::default(),
            "c.json",
            &json(lines),
            crate::test_support::at(3),
        )
        .unwrap()
        .call
        .id
    };
    let first =
        add(&[("rep", "Shall we talk about trucks?"), ("customer", "Our trucks leave the depot at six.")]);
    let second = add(&[("customer", "Nothing about logistics here.")]);
    let topic = NewTopic {
        id: "topic-1".into(),
        name: "trucks, depot".into(),
        top_terms: vec![],
        size: 2,
        centroid: vec![1.0],
    };
    store.replace_topics(&[topic], crate::test_support::at(4)).unwrap();
    store.rename_topic("topic-1", "Logistics", crate::test_support::at(4)).unwrap();
    let row = |utterance: u32, side: SpeakerRole| CallTopicRow {
        topic: "topic-1".into(),
        utterances: 2,
        utterance,
        time_ms: i64::from(utterance) * 5000,
        side,
        score: 0.9,
    };
    store.put_call_topics(first, &[row(1, SpeakerRole::Customer)]).unwrap();
    store.put_call_topics(second, &[row(0, SpeakerRole::Rep)]).unwrap();
    let report = voc_report(store, &AnalysisFilter::default(), None).unwrap();
    let item = report.trackers.iter().find(|item| item.kind == VocKind::Topic).expect("the topic is listed");
    assert_eq!((item.tracker.as_str(), item.topic_id.as_deref()), ("Logistics", Some("topic-1")));
    assert_eq!(
        (item.overall.calls, item.overall.mentioning),
        (2, 1),
        "a rep-side topic is not the customer's voice"
    );
    assert_eq!(item.quotes.len(), 1);
    assert_eq!((item.quotes[0].call, item.quotes[0].time_ms), (first, 5000));
    assert_eq!(item.quotes[0].text, "Our trucks leave the depot at six.");
    assert_eq!(item.quotes[0].speaker.as_deref(), Some("customer"));
    assert!(report.trackers.iter().all(|item| item.kind != VocKind::Topic || item.tracker == "Logistics"));
}
