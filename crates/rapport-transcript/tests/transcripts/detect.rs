//! Format detection on every real fixture, under honest and misleading names, and errors
//! from `import` carrying the file's name.

use rapport_transcript::{detect, import, Format, Location, TranscriptError};

use crate::fixture;

const FIXTURES: [(&str, Format); 9] = [
    ("zoom.vtt", Format::WebVtt),
    ("teams.vtt", Format::WebVtt),
    ("whisper_jfk.vtt", Format::WebVtt),
    ("whisper_jfk.srt", Format::Srt),
    ("whisper_jfk.json", Format::WhisperJson),
    ("deepgram_utterances.json", Format::DeepgramJson),
    ("assemblyai_utterances.json", Format::AssemblyAiJson),
    ("aws_short_clip.json", Format::AwsTranscribeJson),
    ("aws_callcenter_call.json", Format::AwsTranscribeJson),
];

#[test]
fn detects_every_fixture_by_content() {
    for (name, expected) in FIXTURES {
        let bytes = fixture(name);
        assert_eq!(detect(name, &bytes), Ok(expected), "{name}");
        // Content wins over a wrong or missing extension.
        assert_eq!(detect("download.txt", &bytes), Ok(expected), "{name} as .txt");
        assert_eq!(detect("transcript", &bytes), Ok(expected), "{name} without extension");
    }
}

#[test]
fn import_errors_start_with_the_file_name() {
    let error = import("calls/bad.vtt", b"WEBVTT\n\n1\nAnn: no timing\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "calls/bad.vtt: line 4: expected a cue timing line like `00:00:01.000 --> 00:00:02.000`, found `Ann: no timing`"
    );
    assert_eq!(error.location(), Some(Location::Line(4)));
    assert_eq!(
        error.message(),
        "expected a cue timing line like `00:00:01.000 --> 00:00:02.000`, found `Ann: no timing`"
    );

    let error = import("dg.json", br#"{"results": {"channels": [{"alternatives": 1}]}}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "dg.json: results.channels[0].alternatives: expected an array, found the number 1"
    );
    assert_eq!(error.location(), Some(Location::JsonPath("results.channels[0].alternatives".into())));

    let error = import("notes.txt", b"Meeting notes, no times").unwrap_err();
    assert!(
        matches!(&error, TranscriptError::InFile { source, .. } if **source == TranscriptError::UnknownFormat)
    );
    assert!(error.to_string().starts_with("notes.txt: not a transcript format Rapport reads"));
}
