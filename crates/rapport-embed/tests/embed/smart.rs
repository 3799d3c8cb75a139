//! The default smart trackers on the real model: the cross-validated report, F1 on sentences
//! they were never fitted on, and hits in a transcript.

use std::sync::OnceLock;

use rapport_embed::{
    default_smart_trackers, find_smart_hits, FitReport, SmartTracker, DEFAULT_SMART_TRACKERS_TOML,
    NEUTRAL_SENTENCES,
};
use rapport_transcript::{Role, Transcript, Utterance};
use serde::Deserialize;

use crate::embedder;

#[derive(Deserialize)]
struct Holdout {
    neutral: Vec<String>,
    tracker: Vec<HoldoutTracker>,
}

#[derive(Deserialize)]
struct HoldoutTracker {
    name: String,
    positives: Vec<String>,
}

fn holdout() -> Holdout {
    toml::from_str(&crate::data("smart_holdout.toml")).unwrap()
}

fn fitted() -> &'static [(SmartTracker, FitReport)] {
    static FITTED: OnceLock<Vec<(SmartTracker, FitReport)>> = OnceLock::new();
    FITTED.get_or_init(|| SmartTracker::fit_all(&default_smart_trackers(), embedder()).unwrap())
}

/// The least held-out F1 each default tracker must reach. Measured (8 positives, 68 negatives
/// each, fitted as a set): discount 0.82, budget 0.84, competitor 0.88, pain 0.89, next step
/// 0.80, security 0.94, proposal 0.94. Each floor lets one sentence regress (a miss or one
/// more false hit) and fails on two.
const F1_FLOORS: [(&str, f32); 7] = [
    ("asks for a discount", 0.74),
    ("budget objection", 0.77),
    ("evaluating a competitor", 0.79),
    ("describes a pain", 0.82),
    ("agrees to a next step", 0.73),
    ("asks about security", 0.87),
    ("requests a proposal", 0.87),
];

#[test]
fn held_out_sentences_are_never_training_examples() {
    let holdout = holdout();
    let sentences = holdout.neutral.iter().chain(holdout.tracker.iter().flat_map(|t| &t.positives));
    for sentence in sentences {
        assert!(
            !DEFAULT_SMART_TRACKERS_TOML.contains(sentence.as_str()),
            "{sentence:?} is a training example"
        );
        assert!(!NEUTRAL_SENTENCES.contains(sentence.as_str()), "{sentence:?} is a neutral sentence");
    }
}

#[test]
fn default_trackers_reach_their_f1_floor_on_held_out_sentences() {
    let holdout = holdout();
    let mut measured = Vec::new();
    for ((tracker, report), (name, floor)) in fitted().iter().zip(F1_FLOORS) {
        assert_eq!(tracker.name, name);
        let own = holdout.tracker.iter().find(|t| t.name == name).unwrap();
        let negatives = holdout
            .neutral
            .iter()
            .chain(holdout.tracker.iter().filter(|t| t.name != name).flat_map(|t| &t.positives));
        let texts: Vec<&str> = own.positives.iter().chain(negatives).map(String::as_str).collect();
        let scores = tracker.score(&embedder().embed(&texts).unwrap());
        let hit = |i: usize| scores[i] >= tracker.threshold;
        let true_positives = (0..own.positives.len()).filter(|&i| hit(i)).count() as f32;
        let false_positives = (own.positives.len()..texts.len()).filter(|&i| hit(i)).count() as f32;
        let precision = true_positives / (true_positives + false_positives).max(1.0);
        let recall = true_positives / own.positives.len() as f32;
        let f1 = if true_positives == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        let missed: Vec<&str> = (0..own.positives.len()).filter(|&i| !hit(i)).map(|i| texts[i]).collect();
        let wrong: Vec<&str> =
            (own.positives.len()..texts.len()).filter(|&i| hit(i)).map(|i| texts[i]).collect();
        println!(
            "{name}: held-out P {precision:.2} R {recall:.2} F1 {f1:.2}; cross-validated P {:.2} R {:.2} F1 {:.2} at {:.3}; missed {missed:?}; wrongly hit {wrong:?}",
            report.precision, report.recall, report.f1, report.threshold
        );
        measured.push((name, f1, floor));
    }
    for (name, f1, floor) in measured {
        assert!(f1 >= floor, "{name}: held-out F1 {f1:.2} is under its floor {floor}");
    }
}

#[test]
fn the_fit_report_is_cross_validated_and_sane() {
    for (tracker, report) in fitted() {
        assert_eq!(report.folds, 5, "{}", tracker.name);
        assert!(report.positives >= 15 && report.negatives >= 100, "{}: {report:?}", tracker.name);
        // Measured cross-validated F1: 0.61 (competitor) to 0.86; these are harder than the
        // held-out sets because every other tracker's positives are negatives here.
        assert!(
            report.f1 > 0.55 && report.precision > 0.0 && report.recall > 0.0,
            "{}: {report:?}",
            tracker.name
        );
        assert!((0.0..1.0).contains(&report.threshold), "{}: {report:?}", tracker.name);
    }
    // Alone, a tracker learns from its own negatives and the neutral set; in a set, from the
    // other trackers' positives as well.
    let specs = default_smart_trackers();
    let (alone, alone_report) = SmartTracker::fit(&specs[1], embedder()).unwrap();
    let (together, together_report) = &fitted()[1];
    assert_eq!(alone.name, together.name);
    let others: usize = specs.iter().filter(|s| s.name != specs[1].name).map(|s| s.positives.len()).sum();
    assert_eq!(alone_report.negatives, specs[1].negatives.len() + NEUTRAL_SENTENCES.lines().count());
    assert_eq!(
        together_report.negatives,
        alone_report.negatives + others - 1,
        "one positive is another's negative"
    );
}

#[test]
fn a_discount_ask_without_the_word_is_found_in_a_call() {
    let utterance = |speaker: &str, role: Role, start: f64, text: &str| Utterance {
        speaker: Some(speaker.into()),
        role,
        channel: None,
        start,
        end: start + 3.0,
        text: text.into(),
        words: Vec::new(),
    };
    let transcript = Transcript {
        utterances: vec![
            utterance("Rep", Role::Rep, 0.0, "So the annual plan comes to forty thousand."),
            utterance("Dana", Role::Customer, 4.0, "Is that the best you can do?"),
            utterance("Dana", Role::Customer, 8.0, "We went to Lisbon for the offsite."),
            // The rep asking is not a customer asking for a discount.
            utterance("Rep", Role::Rep, 12.0, "Is that the best you can do?"),
        ],
        duration_s: None,
        source_format: None,
    };
    let texts: Vec<&str> = transcript.utterances.iter().map(|u| u.text.as_str()).collect();
    let embeddings = embedder().embed(&texts).unwrap();
    let trackers: Vec<SmartTracker> = fitted().iter().map(|(tracker, _)| tracker.clone()).collect();
    let hits = find_smart_hits(&transcript, &embeddings, &trackers);
    let discount: Vec<_> = hits.iter().filter(|hit| hit.tracker == "asks for a discount").collect();
    assert_eq!(discount.len(), 1, "{hits:#?}");
    assert_eq!((discount[0].utterance_index, discount[0].start), (1, 4.0));
    assert_eq!(discount[0].speaker.as_deref(), Some("Dana"));
    assert!(discount[0].score >= trackers[0].threshold);
    assert!(!hits.iter().any(|hit| hit.utterance_index == 2), "small talk is no hit: {hits:#?}");
    // A fitted tracker survives a round trip through JSON (how storage keeps it).
    let json = serde_json::to_string(&trackers[0]).unwrap();
    assert_eq!(serde_json::from_str::<SmartTracker>(&json).unwrap(), trackers[0]);
}
