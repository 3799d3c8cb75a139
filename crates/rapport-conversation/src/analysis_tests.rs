//! `analyze_call` as a whole: redaction happens before every other analysis, and hostile
//! text (markup, SQL) is carried through as data, unchanged.

use rapport_transcript::{Role, Transcript, Utterance};

use crate::{
    analyze_call, parse_trackers, AnalysisOptions, ContentItem, ContentMatcher, PiiKind, TrackerMatcher,
};

fn utterance(role: Role, start: f64, end: f64, text: &str) -> Utterance {
    Utterance { speaker: Some(format!("{role:?}")), role, ..Utterance::new(start, end, text) }
}

fn matcher(toml: &str) -> TrackerMatcher {
    TrackerMatcher::new(parse_trackers(toml).unwrap()).unwrap()
}

#[test]
fn pii_is_redacted_before_any_analysis_sees_it() {
    let transcript = Transcript {
        utterances: vec![
            utterance(Role::Rep, 0.0, 5.0, "Can you email jane@acme.com the pricing?"),
            utterance(
                Role::Customer,
                5.0,
                10.0,
                "I'll send it to 415-555-0132 by Friday, card 4111 1111 1111 1111.",
            ),
        ],
        duration_s: None,
        source_format: None,
    };
    let trackers =
        matcher("[[tracker]]\nname = \"Leak\"\nphrases = [\"jane\", \"acme com\", \"4111\", \"pricing\"]\n");
    let content =
        ContentMatcher::new(vec![ContentItem { title: "jane acme".into(), url: None, aliases: vec![] }])
            .unwrap();
    let options = AnalysisOptions { content: Some(&content), ..AnalysisOptions::new(&trackers) };
    let analysis = analyze_call(&transcript, &options);
    let json = serde_json::to_string(&analysis).unwrap();
    for secret in ["jane", "acme.com", "415-555", "4111"] {
        assert!(!json.contains(secret), "{secret} leaked into {json}");
    }
    let matched: Vec<&str> = analysis.trackers.iter().map(|hit| hit.matched.as_str()).collect();
    assert_eq!(matched, ["pricing"]);
    assert!(analysis.content_mentions.is_empty());
    let counts: Vec<(PiiKind, usize)> = analysis.redactions.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(counts, [(PiiKind::Email, 1), (PiiKind::Phone, 1), (PiiKind::Card, 1)]);
    assert_eq!(analysis.next_steps[1].what, "I'll send it to [phone] by Friday, card [card]");
    assert_eq!(analysis.questions.questions[0].text, "Can you email [email] the pricing?");

    // With redaction off, the text is analysed as it is.
    let options = AnalysisOptions { redact: false, ..options };
    let analysis = analyze_call(&transcript, &options);
    assert!(analysis.redactions.is_empty());
    assert_eq!(analysis.trackers.len(), 4);
    assert_eq!(analysis.content_mentions.len(), 1);
}

#[test]
fn markup_and_sql_stay_inert_data() {
    let hostile = [
        "<script>alert('x')</script> What's the <b>price</b>?",
        "'; DROP TABLE calls; -- we'll send the proposal tomorrow",
        "{{7*7}} ${jndi:ldap://x} \u{202e}reversed \\u0000 %s%n",
    ];
    let transcript = Transcript {
        utterances: hostile
            .iter()
            .enumerate()
            .map(|(i, text)| utterance(Role::Customer, i as f64, i as f64 + 1.0, text))
            .collect(),
        duration_s: None,
        source_format: None,
    };
    let trackers = matcher("[[tracker]]\nname = \"Price\"\nphrases = [\"price\", \"drop table\"]\n");
    let analysis = analyze_call(&transcript, &AnalysisOptions::new(&trackers));
    // The text comes back exactly as said, in the JSON too (escaped by the serialiser only).
    let texts: Vec<&str> = analysis.utterances.iter().map(|u| u.text.as_str()).collect();
    assert_eq!(texts, hostile);
    let json: serde_json::Value = serde_json::to_value(&analysis).unwrap();
    assert_eq!(json["utterances"][0]["text"], hostile[0]);
    assert_eq!(
        json["questions"]["questions"][0]["text"],
        "<script>alert('x')</script> What's the <b>price</b>?"
    );
    let matched: Vec<&str> = analysis.trackers.iter().map(|hit| hit.matched.as_str()).collect();
    assert_eq!(matched, ["price", "drop table"]);
    assert_eq!(analysis.next_steps.len(), 1);
    assert_eq!(analysis.next_steps[0].what, "we'll send the proposal tomorrow");
}

#[test]
fn an_empty_call_gives_empty_analyses() {
    let transcript = Transcript { utterances: vec![], duration_s: None, source_format: None };
    let trackers = TrackerMatcher::new(crate::default_trackers()).unwrap();
    let analysis = analyze_call(&transcript, &AnalysisOptions::new(&trackers));
    assert!(analysis.trackers.is_empty() && analysis.topics.is_empty() && analysis.next_steps.is_empty());
    assert_eq!(analysis.questions.rep.total, 0);
    assert_eq!(analysis.sentiment.rep.mean, None);
    assert_eq!(analysis.sentiment.trend.change, None);
    assert_eq!(analysis.stats.talk_ratio, None);
}
