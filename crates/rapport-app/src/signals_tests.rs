//! Conversation signals on a hand-built case.

use chrono::{TimeZone, Utc};
use rapport_domain::{AccountId, CallId, OpportunityId, PersonId, SpeakerRole};
use rapport_store::analysis::{CallAnalysisFacts, TrackerHitRow};

use super::*;

fn hit(tracker: &str, side: SpeakerRole) -> TrackerHitRow {
    TrackerHitRow { tracker: tracker.into(), utterance: 0, time_ms: 0, side, speaker: None, score: None }
}

fn call(
    id: i64,
    day: u32,
    person: i64,
    customer_s: f64,
    rep_s: f64,
    questions: u32,
    hits: Vec<TrackerHitRow>,
) -> CallAnalysisFacts {
    let document = serde_json::json!({
        "stats": { "customer": { "speaking_s": customer_s, "questions": questions }, "rep": { "speaking_s": rep_s } }
    });
    CallAnalysisFacts {
        call: CallId(id),
        title: String::new(),
        started_at: Utc.with_ymd_and_hms(2025, 3, day, 9, 0, 0).unwrap(),
        duration_ms: None,
        person: Some(PersonId(person)),
        account: Some(AccountId(1)),
        opportunity: (person == 1).then_some(OpportunityId(7)),
        rep: None,
        outcome: None,
        industry: None,
        employees: None,
        source: None,
        campaign: None,
        document: document.to_string(),
        hits,
    }
}

/// The call with the customer side's mean sentiment and its in-call change stored, as version-2
/// analyses store them.
fn with_sentiment(mut fact: CallAnalysisFacts, mean: Option<f64>, change: Option<f64>) -> CallAnalysisFacts {
    let mut document: serde_json::Value = serde_json::from_str(&fact.document).unwrap();
    document["sentiment"] = serde_json::json!({
        "customer": { "mean": mean }, "customer_trend": { "change": change }
    });
    fact.document = document.to_string();
    fact
}

#[test]
fn sentiment_trend_is_a_number_or_absent_never_nan() {
    let as_of = Utc.with_ymd_and_hms(2025, 3, 30, 9, 0, 0).unwrap();
    let trend = |facts: Vec<CallAnalysisFacts>| {
        compute_signals(&facts, as_of).people[&PersonId(1)].get("sentiment_trend").copied()
    };
    let plain = |id: i64, day: u32| call(id, day, 1, 10.0, 10.0, 0, vec![]);
    // Latest call's customer mean minus the earliest's, whatever order the facts come in.
    let three = vec![
        with_sentiment(plain(2, 9), Some(0.1), None),
        with_sentiment(plain(1, 2), Some(-0.2), Some(0.5)),
        with_sentiment(plain(3, 20), Some(0.4), Some(-0.1)),
    ];
    assert!((trend(three).unwrap() - 0.6).abs() < 1e-12);
    // One call: its own change within the call; none measured there: no movement, 0.
    assert_eq!(trend(vec![with_sentiment(plain(1, 2), Some(0.3), Some(-0.25))]), Some(-0.25));
    assert_eq!(trend(vec![with_sentiment(plain(1, 2), Some(0.3), None)]), Some(0.0));
    // Two calls with the same tone: zero, not NaN (no division by a spread anywhere).
    let flat =
        vec![with_sentiment(plain(1, 2), Some(0.2), None), with_sentiment(plain(2, 5), Some(0.2), None)];
    assert_eq!(trend(flat), Some(0.0));
    // A customer who never spoke (mean null) or an old analysis: left out.
    let silent = vec![with_sentiment(plain(1, 2), None, None), plain(2, 5)];
    assert_eq!(trend(silent), None);
    let mixed =
        vec![with_sentiment(plain(1, 2), None, None), with_sentiment(plain(2, 5), Some(-0.4), Some(0.1))];
    assert_eq!(trend(mixed), Some(0.1), "only the call with customer sentiment counts");
    for features in compute_signals(&[with_sentiment(plain(1, 2), Some(0.3), None)], as_of).people.values() {
        assert!(features.values().all(|v| !v.is_nan()), "{features:?}");
    }
}

#[test]
fn signals_follow_their_definitions() {
    let facts = vec![
        call(
            1,
            1,
            1,
            30.0,
            70.0,
            2,
            vec![hit(COMPETITOR_TRACKER, SpeakerRole::Customer), hit(NEXT_STEPS_TRACKER, SpeakerRole::Rep)],
        ),
        call(
            2,
            5,
            1,
            50.0,
            50.0,
            0,
            vec![
                hit(PAIN_TRACKER, SpeakerRole::Customer),
                hit(PAIN_TRACKER, SpeakerRole::Unknown),
                hit(PAIN_TRACKER, SpeakerRole::Rep),
            ],
        ),
        call(
            3,
            2,
            2,
            0.0,
            0.0,
            0,
            vec![hit(BUDGET_TRACKER, SpeakerRole::Rep), hit(NEXT_STEPS_TRACKER, SpeakerRole::Rep)],
        ),
        // After `as_of`: left out, so nothing from the future leaks into a feature.
        call(4, 20, 1, 100.0, 0.0, 9, vec![hit(BUDGET_TRACKER, SpeakerRole::Customer)]),
    ];
    let as_of = Utc.with_ymd_and_hms(2025, 3, 10, 9, 0, 0).unwrap();
    let table = compute_signals(&facts, as_of);
    let ana = &table.people[&PersonId(1)];
    assert_eq!(ana.len(), FEATURES.len() - 1, "every feature but sentiment_trend: no sentiment stored");
    assert_eq!(ana["calls"], 2.0);
    assert_eq!(ana["competitor_mentioned"], 1.0);
    assert_eq!(ana["budget_discussed"], 0.0, "the budget talk came after as_of");
    assert_eq!(ana["next_step_agreed"], 0.0, "the latest call agreed no next step");
    assert_eq!(ana["customer_talk_share"], 80.0 / 200.0);
    assert_eq!(ana["customer_questions"], 1.0);
    assert_eq!(ana["pains_raised"], 2.0, "customer-side pains only");
    assert!(!ana.contains_key("sentiment_trend"), "unknown is left out, never NaN");
    assert_eq!(ana["days_since_last_call"], 5.0);

    let bo = &table.people[&PersonId(2)];
    assert_eq!((bo["budget_discussed"], bo["next_step_agreed"]), (1.0, 1.0));
    assert!(bo["customer_talk_share"].is_nan(), "no speech: unknown");
    assert_eq!(bo["days_since_last_call"], 8.0);

    let account = &table.accounts[&AccountId(1)];
    assert_eq!(account["calls"], 3.0);
    assert_eq!(account["next_step_agreed"], 0.0, "the account's latest call is Ana's second");
    assert_eq!(table.opportunities[&OpportunityId(7)]["calls"], 2.0);
}

#[test]
fn each_person_sees_only_their_calls_before_their_own_cut_off() {
    let facts = vec![
        call(1, 1, 1, 30.0, 70.0, 2, vec![hit(BUDGET_TRACKER, SpeakerRole::Customer)]),
        call(2, 10, 1, 50.0, 50.0, 0, vec![hit(COMPETITOR_TRACKER, SpeakerRole::Customer)]),
        call(3, 10, 2, 10.0, 90.0, 1, vec![]),
    ];
    let cutoffs = BTreeMap::from([
        // Person 1 was handed over between their two calls; person 2 before their only call.
        (PersonId(1), Utc.with_ymd_and_hms(2025, 3, 5, 0, 0, 0).unwrap()),
        (PersonId(2), Utc.with_ymd_and_hms(2025, 3, 2, 0, 0, 0).unwrap()),
    ]);
    let signals = person_signals_at(&facts, &cutoffs);
    let one = &signals[&PersonId(1)];
    assert_eq!(one["calls"], 1.0);
    assert_eq!(one["budget_discussed"], 1.0);
    assert_eq!(one["competitor_mentioned"], 0.0, "the later call is after the handoff");
    assert!((one["customer_talk_share"] - 0.3).abs() < 1e-9);
    assert!((one["days_since_last_call"] - 4.0 + 9.0 / 24.0).abs() < 1e-9);
    assert!(!signals.contains_key(&PersonId(2)), "no call before the cut-off");
}
