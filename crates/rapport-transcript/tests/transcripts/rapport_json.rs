//! Rapport's own JSON: what `to_json` writes reads back identically; errors name paths.

use rapport_transcript::{import, to_json, Format, Role};

use crate::{check_error, import_fixture};

#[test]
fn reads_the_documented_shape() {
    let input = r#"{"utterances": [
        {"speaker": "Ann Lee", "role": "rep", "start": 0.5, "end": 2.0, "text": "Hi, Raj."},
        {"speaker": "Raj Patel", "role": "customer", "start": 2.2, "end": 3.0, "text": "Hello.",
         "channel": 1, "words": [{"text": "Hello.", "start": 2.2, "end": 3.0, "confidence": 0.97}]},
        {"start": 3.5, "end": 4.0, "text": "(laughter)"}
    ]}"#;
    let transcript = import("call.json", input.as_bytes()).unwrap();
    assert_eq!(transcript.source_format, Some(Format::RapportJson));
    let roles: Vec<Role> = transcript.utterances.iter().map(|u| u.role).collect();
    assert_eq!(roles, [Role::Rep, Role::Customer, Role::Unknown]);
    assert_eq!(transcript.utterances[1].channel, Some(1));
    assert_eq!(transcript.utterances[1].words[0].confidence, Some(0.97));
    assert_eq!(transcript.utterances[2].speaker, None);
}

#[test]
fn every_imported_fixture_round_trips_through_rapport_json() {
    for name in [
        "zoom.vtt",
        "teams.vtt",
        "whisper_jfk.json",
        "deepgram_utterances.json",
        "assemblyai_utterances.json",
        "aws_callcenter_call.json",
    ] {
        let transcript = import_fixture(name);
        let written = to_json(&transcript);
        let read = import("out.json", written.as_bytes()).unwrap();
        // The source format written out is kept, so the copy says where it came from.
        assert_eq!(read, transcript, "{name}");
    }
}

#[test]
fn errors_name_the_json_path() {
    let rapport = Format::RapportJson;
    check_error(
        rapport,
        r#"{"utterances": [{"start": 0, "end": 1, "text": "a", "role": "boss"}]}"#,
        "utterances[0].role: expected `rep`, `customer` or `unknown`, found `boss`",
    );
    check_error(
        rapport,
        r#"{"utterances": [{"start": 0, "end": 1, "text": 3}]}"#,
        "utterances[0].text: expected a string, found the number 3",
    );
    check_error(
        rapport,
        r#"{"utterances": [{"start": 0, "end": 1, "text": "a", "channel": 1.5}]}"#,
        "utterances[0].channel: expected a non-negative whole number, found the number 1.5",
    );
    check_error(
        rapport,
        r#"{"utterances": [{"start": 0, "end": 1, "text": "a", "words": [{"text": "a", "start": 0}]}]}"#,
        "utterances[0].words[0].end: missing; this value is required",
    );
    check_error(
        rapport,
        r#"{"utterances": [], "source_format": "mp3"}"#,
        "source_format: expected a format name such as `webvtt` or `deepgram_json`",
    );
    check_error(
        rapport,
        "{\n  \"utterances\": [\n    {\"start\": 0,\n",
        "line 4, column 0: not valid JSON: EOF while parsing a value",
    );
}
