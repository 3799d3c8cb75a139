//! AssemblyAI: a real transcript with speaker labels, the same transcript read from its
//! words, multichannel numbering, and errors at JSON paths.

use rapport_transcript::{parse, Format, Transcript};
use serde_json::json;

use crate::{assert_well_formed, check_error, check_truncated, edited_fixture, fixture, import_fixture};

const FIXTURE: &str = "assemblyai_utterances.json";

fn full_text() -> String {
    let value: serde_json::Value = serde_json::from_slice(&fixture(FIXTURE)).unwrap();
    value["text"].as_str().unwrap().to_string()
}

fn parse_json(value: &str) -> Transcript {
    let transcript = parse(Format::AssemblyAiJson, value.as_bytes()).unwrap();
    assert_well_formed(&transcript);
    transcript
}

#[test]
fn utterances_with_speaker_letters_and_millisecond_times() {
    let transcript = import_fixture(FIXTURE);
    assert_eq!(transcript.source_format, Some(Format::AssemblyAiJson));
    assert_eq!(transcript.duration_s, Some(25.0));
    assert_eq!(transcript.speakers(), ["Speaker A"]);
    assert_eq!(transcript.utterances.len(), 1);
    let utterance = &transcript.utterances[0];
    assert_eq!((utterance.start, utterance.end), (0.17, 25.14));
    assert_eq!(utterance.text, full_text());
    assert!(utterance.text.starts_with("Yeah. As much as it's worth celebrating the first spacewalk"));
    assert_eq!(utterance.words.len(), 60);
    let first = &utterance.words[0];
    assert_eq!(
        (first.text.as_str(), first.start, first.end, first.confidence),
        ("Yeah.", 0.17, 0.718, Some(0.9941))
    );
    assert_eq!(utterance.words[59].text, "today.");
}

#[test]
fn words_alone_group_into_the_same_turn() {
    let input = edited_fixture(FIXTURE, |v| v["utterances"] = json!(null));
    let transcript = parse_json(&input);
    assert_eq!(transcript.speakers(), ["Speaker A"]);
    assert_eq!(transcript.utterances.len(), 1);
    assert_eq!(transcript.utterances[0].text, full_text());
    assert_eq!(transcript.utterances[0].words.len(), 60);
}

#[test]
fn words_without_speakers_are_cut_at_sentences() {
    let input = edited_fixture(FIXTURE, |v| {
        v["utterances"] = json!(null);
        for word in v["words"].as_array_mut().unwrap() {
            word.as_object_mut().unwrap().remove("speaker");
        }
    });
    let transcript = parse_json(&input);
    let texts: Vec<&str> = transcript.utterances.iter().map(|u| u.text.as_str()).collect();
    assert_eq!(texts.len(), 3);
    assert_eq!(texts[0], "Yeah.");
    assert_eq!(texts.join(" "), full_text());
    assert!(transcript.utterances.iter().all(|u| u.speaker.is_none()));
}

#[test]
fn channels_count_from_one_in_the_source_and_from_zero_in_the_model() {
    let utterance = |channel: &str, start: u64, text: &str| {
        json!({"channel": channel, "speaker": channel, "start": start, "end": start + 900,
               "text": text, "confidence": 0.9, "words": []})
    };
    let input = json!({"status": "completed", "audio_channels": 2, "audio_url": "x",
        "utterances": [utterance("1", 0, "Hello."), utterance("1", 3000, "Great."), utterance("2", 1000, "Hi.")]});
    let transcript = parse_json(&input.to_string());
    let actual: Vec<(Option<u32>, Option<&str>, f64)> =
        transcript.utterances.iter().map(|u| (u.channel, u.speaker.as_deref(), u.start)).collect();
    assert_eq!(
        actual,
        [
            (Some(0), Some("Speaker 1"), 0.0),
            (Some(1), Some("Speaker 2"), 1.0),
            (Some(0), Some("Speaker 1"), 3.0)
        ]
    );
}

#[test]
fn errors_name_the_json_path() {
    let assemblyai = Format::AssemblyAiJson;
    check_truncated(assemblyai, FIXTURE, 300);
    let cases: Vec<(String, &str)> = vec![
        (
            edited_fixture(FIXTURE, |v| v["utterances"][0]["words"][3]["start"] = json!("1166")),
            r#"utterances[0].words[3].start: expected a number, found the string "1166""#,
        ),
        (
            edited_fixture(FIXTURE, |v| v["utterances"][0]["end"] = json!(100)),
            "utterances[0]: ends at 0.1 s, before it starts at 0.17 s",
        ),
        (
            edited_fixture(FIXTURE, |v| v["utterances"][0]["speaker"] = json!(1)),
            "utterances[0].speaker: expected a string, found the number 1",
        ),
        (
            edited_fixture(FIXTURE, |v| v["utterances"][0]["channel"] = json!("0")),
            "utterances[0].channel: expected a channel number from 1 (AssemblyAI counts channels from 1)",
        ),
        (
            edited_fixture(FIXTURE, |v| v["status"] = json!("error")),
            "status: the transcript's status is `error`, not `completed`; only finished transcripts can be imported",
        ),
        (
            edited_fixture(FIXTURE, |v| {
                v["utterances"] = json!(null);
                v["words"] = json!(null);
            }),
            "top level: missing both `utterances` and `words`; nothing to import",
        ),
    ];
    for (input, expected) in cases {
        check_error(assemblyai, &input, expected);
    }
}
