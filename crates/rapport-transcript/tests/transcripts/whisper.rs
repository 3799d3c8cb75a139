//! Whisper JSON: the openai-whisper CLI's output and faster-whisper / WhisperX segment lists.

use rapport_transcript::{parse, Format};

use crate::{assert_well_formed, check_error, import_fixture, summary};

#[test]
fn openai_whisper_cli_output() {
    let transcript = import_fixture("whisper_jfk.json");
    assert_eq!(transcript.source_format, Some(Format::WhisperJson));
    assert_eq!(
        summary(&transcript),
        [(
            None,
            0.0,
            10.38,
            // Whisper's leading space is trimmed.
            "And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
        )]
    );
    assert!(transcript.utterances[0].words.is_empty());
}

#[test]
fn faster_whisper_words_and_whisperx_speakers() {
    let input = r#"[
      {"id": 1, "start": 0.0, "end": 2.5, "text": " Hello there.",
       "words": [{"start": 0.0, "end": 0.8, "word": " Hello", "probability": 0.91},
                 {"start": 0.9, "end": 2.5, "word": " there.", "probability": 0.88}]},
      {"start": 3.0, "end": 4.0, "text": " 1999 was great.", "speaker": "SPEAKER_01",
       "words": [{"word": "1999"}, {"word": "was", "start": 3.5, "end": 3.7, "score": 0.5},
                 {"word": "great.", "start": 3.7, "end": 4.0}]},
      {"start": 4.0, "end": 4.2, "text": "  "}
    ]"#;
    let transcript = parse(Format::WhisperJson, input.as_bytes()).unwrap();
    assert_well_formed(&transcript);
    assert_eq!(
        summary(&transcript),
        [(None, 0.0, 2.5, "Hello there."), (Some("SPEAKER_01"), 3.0, 4.0, "1999 was great."),]
    );
    let words: Vec<(&str, f64, f64, Option<f32>)> = transcript
        .utterances
        .iter()
        .flat_map(|u| &u.words)
        .map(|w| (w.text.as_str(), w.start, w.end, w.confidence))
        .collect();
    // WhisperX leaves words it could not align without times; they are left out.
    assert_eq!(
        words,
        [
            ("Hello", 0.0, 0.8, Some(0.91)),
            ("there.", 0.9, 2.5, Some(0.88)),
            ("was", 3.5, 3.7, Some(0.5)),
            ("great.", 3.7, 4.0, None),
        ]
    );
}

#[test]
fn errors_name_the_json_path() {
    let whisper = Format::WhisperJson;
    check_error(
        whisper,
        r#"{"segments": [{"start": 0.0, "end""#,
        "line 1, column 34: not valid JSON: EOF while parsing an object",
    );
    check_error(whisper, "5", "top level: expected an object, found the number 5");
    check_error(whisper, r#"{"text": "hi"}"#, "segments: missing; this value is required");
    check_error(
        whisper,
        r#"{"segments": [{"start": "0.0", "end": 1, "text": "a"}]}"#,
        r#"segments[0].start: expected a number, found the string "0.0""#,
    );
    check_error(
        whisper,
        r#"{"segments": [{"start": 0, "end": 1}]}"#,
        "segments[0].text: missing; this value is required",
    );
    check_error(
        whisper,
        r#"{"segments": [{"start": 2, "end": 1, "text": "a"}]}"#,
        "segments[0]: ends at 1 s, before it starts at 2 s",
    );
    check_error(
        whisper,
        r#"{"segments": [{"start": -1, "end": 1, "text": "a"}]}"#,
        "segments[0]: starts at -1 s, before the recording starts",
    );
    check_error(
        whisper,
        r#"{"segments": [{"start": 5, "end": 6, "text": "a"}, {"start": 1, "end": 2, "text": "b"}]}"#,
        "segments[1]: starts at 1 s, before the previous one (5 s); expected time order",
    );
    check_error(
        whisper,
        r#"{"segments": [{"start": 0, "end": 1, "text": "a", "words": {}}]}"#,
        "segments[0].words: expected an array, found an object",
    );
    check_error(
        whisper,
        r#"[{"start": 0, "end": 1, "text": "a", "words": [{"word": "a", "start": 0, "end": 1, "probability": "high"}]}]"#,
        r#"[0].words[0].probability: expected a number, found the string "high""#,
    );
}
