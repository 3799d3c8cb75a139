//! Hand-built calls whose stats are worked out by hand in each test: overlaps, silence,
//! monologue merging, interruptions, one-sided and empty calls.

use rapport_transcript::{Role, Transcript, Utterance};
use serde_json::Value;

use crate::call_stats;

fn say(speaker: &str, role: Role, start: f64, end: f64, text: &str) -> Utterance {
    Utterance { speaker: Some(speaker.to_owned()), role, ..Utterance::new(start, end, text) }
}

/// Checks figures of the JSON-serialised stats by dotted path; `None` expects `null`.
fn check(utterances: Vec<Utterance>, duration_s: Option<f64>, expected: &[(&str, Option<f64>)]) {
    let stats = call_stats(&Transcript { utterances, duration_s, source_format: None });
    let json = serde_json::to_value(&stats).unwrap();
    for (path, want) in expected {
        let got = path.split('.').fold(&json, |value, key| match key.parse::<usize>() {
            Ok(index) => &value[index],
            Err(_) => &value[key],
        });
        match (want, got) {
            (None, Value::Null) => {}
            (Some(want), Value::Number(got)) if (got.as_f64().unwrap() - want).abs() < 1e-9 => {}
            _ => panic!("{path}: expected {want:?}, got {got}\n{json:#}"),
        }
    }
}

#[test]
fn overlap_and_silence_are_counted_once() {
    let call = vec![
        say("Alice", Role::Rep, 0.0, 10.0, "Hi, what brings you here today?"),
        say("Bob", Role::Customer, 8.0, 20.0, "We need, um, a better tool."),
        say("Alice", Role::Rep, 25.0, 30.0, "Got it. Do you use Gong?"),
        say("Alice", Role::Rep, 30.0, 40.0, "We integrate with Salesforce."),
    ];
    check(
        call,
        Some(60.0),
        &[
            ("duration_s", Some(60.0)),
            // Rep 0–10 and 25–40 = 25 s; customer 8–20 = 12 s; both at once 8–10 = 2 s.
            ("rep.speaking_s", Some(25.0)),
            ("customer.speaking_s", Some(12.0)),
            ("overlap_s", Some(2.0)),
            ("talk_ratio", Some(25.0 / 37.0)),
            // Speech covers 0–20 and 25–40 = 35 s of 60.
            ("silence_s", Some(25.0)),
            // The two rep utterances 25–40 merge: no customer spoke between them.
            ("longest_monologue_s", Some(15.0)),
            ("longest_customer_story_s", Some(12.0)),
            // Two switches in one minute: 10 × 2 / 6.
            ("side_switches", Some(2.0)),
            ("interactivity", Some(10.0 * 2.0 / 6.0)),
            // The customer stops at 20, the rep answers at 25.
            ("patience_s", Some(5.0)),
            ("interruptions", Some(0.0)),
            // "…today?" and "Do you use Gong?": 2 questions in 1/60 hour.
            ("rep.questions", Some(2.0)),
            ("question_rate_per_hour", Some(120.0)),
            // 6 + 6 + 4 rep words in 25 s; 6 customer words (one "um") in 12 s.
            ("rep.words", Some(16.0)),
            ("rep.words_per_minute", Some(16.0 / (25.0 / 60.0))),
            ("rep.filler_rate", Some(0.0)),
            ("customer.words_per_minute", Some(30.0)),
            ("customer.fillers", Some(1.0)),
            ("customer.filler_rate", Some(100.0 / 6.0)),
            ("speakers.0.speaking_s", Some(25.0)),
            ("speakers.1.speaking_s", Some(12.0)),
        ],
    );
}

#[test]
fn rep_starting_before_the_customer_stops_is_an_interruption_not_a_pause() {
    let call = vec![
        say("Bob", Role::Customer, 0.0, 10.0, "It is too expensive"),
        say("Alice", Role::Rep, 9.0, 15.0, "Let me explain"),
    ];
    check(
        call,
        None,
        &[
            ("duration_s", Some(15.0)),
            ("patience_s", None),
            ("interruptions", Some(1.0)),
            ("overlap_s", Some(1.0)),
            ("silence_s", Some(0.0)),
            ("talk_ratio", Some(6.0 / 16.0)),
        ],
    );
}

#[test]
fn consecutive_rep_utterances_merge_across_pauses_and_unknown_is_customer() {
    let call = vec![
        say("Alice", Role::Rep, 0.0, 10.0, "First part."),
        say("Alice", Role::Rep, 12.0, 20.0, "Second part."),
        say("Speaker 1", Role::Unknown, 20.0, 25.0, "Sure."),
        say("Alice", Role::Rep, 26.0, 30.0, "Great."),
    ];
    check(
        call,
        None,
        &[
            ("duration_s", Some(30.0)),
            ("longest_monologue_s", Some(20.0)),
            ("longest_customer_story_s", Some(5.0)),
            ("patience_s", Some(1.0)),
            ("silence_s", Some(3.0)),
            ("side_switches", Some(2.0)),
            // Two switches in half a minute = 4 per minute: 10 × 4 / 6.
            ("interactivity", Some(40.0 / 6.0)),
        ],
    );
}

#[test]
fn call_without_customer_speech() {
    let call = vec![say("Alice", Role::Rep, 0.0, 30.0, "Leaving a voicemail, call me back.")];
    check(
        call,
        Some(40.0),
        &[
            ("talk_ratio", Some(1.0)),
            ("longest_monologue_s", Some(30.0)),
            ("longest_customer_story_s", Some(0.0)),
            ("interactivity", Some(0.0)),
            ("patience_s", None),
            ("silence_s", Some(10.0)),
            ("customer.words_per_minute", None),
            ("customer.filler_rate", None),
            ("question_rate_per_hour", Some(0.0)),
        ],
    );
}

#[test]
fn empty_transcript() {
    let nothing = [
        ("duration_s", Some(0.0)),
        ("talk_ratio", None),
        ("patience_s", None),
        ("question_rate_per_hour", None),
        ("interactivity", Some(0.0)),
        ("silence_s", Some(0.0)),
    ];
    check(vec![], None, &nothing);
    check(vec![], Some(60.0), &[("silence_s", Some(60.0)), ("question_rate_per_hour", Some(0.0))]);
}

#[test]
fn interactivity_is_capped_at_ten() {
    let call = (0..20)
        .map(|i| {
            let role = if i % 2 == 0 { Role::Rep } else { Role::Customer };
            say("x", role, f64::from(i), f64::from(i) + 1.0, "Yes.")
        })
        .collect();
    // 19 switches in 20 s = 57 per minute, far past the full-scale 6.
    check(call, None, &[("side_switches", Some(19.0)), ("interactivity", Some(10.0))]);
}
