//! Integration tests, one binary: every importer on real files from each tool or service
//! (`tests/fixtures/`), the error paths of each format, detection, roles and writers.

mod assemblyai;
mod aws;
mod deepgram;
mod detect;
mod hygiene;
mod rapport_json;
mod roles;
mod srt;
mod webvtt;
mod whisper;
mod writers;

use rapport_transcript::{parse, Format, Transcript};

/// A fixture's bytes; fixtures are copies of real outputs, kept small.
fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// A fixture read through detection, as `rapport calls add` would read it.
fn import_fixture(name: &str) -> Transcript {
    let transcript =
        rapport_transcript::import(name, &fixture(name)).unwrap_or_else(|error| panic!("{error}"));
    assert_well_formed(&transcript);
    transcript
}

/// What every importer promises: utterances in start order, no negative or inverted spans,
/// no empty text, and words in order inside their utterance.
fn assert_well_formed(transcript: &Transcript) {
    let mut previous_start = 0.0;
    for (index, utterance) in transcript.utterances.iter().enumerate() {
        let context = format!("utterance {index}: {utterance:?}");
        assert!(utterance.start >= previous_start, "out of order: {context}");
        assert!(utterance.end >= utterance.start, "inverted: {context}");
        assert!(!utterance.text.trim().is_empty(), "empty text: {context}");
        previous_start = utterance.start;
        let mut previous_word_start = utterance.start;
        for word in &utterance.words {
            assert!(word.start >= previous_word_start, "word out of order: {context}");
            assert!(word.end >= word.start, "inverted word: {context}");
            assert!(word.end <= utterance.end + 1e-9, "word past the end: {context}");
            previous_word_start = word.start;
        }
    }
}

/// Speaker, start, end and text of each utterance, for compact assertions.
fn summary(transcript: &Transcript) -> Vec<(Option<&str>, f64, f64, &str)> {
    transcript.utterances.iter().map(|u| (u.speaker.as_deref(), u.start, u.end, u.text.as_str())).collect()
}

/// Parsing `input` as `format` fails with exactly `expected` (location first).
fn check_error(format: Format, input: &str, expected: &str) {
    match parse(format, input.as_bytes()) {
        Ok(transcript) => panic!("{format} input {input:?} parsed: {transcript:?}"),
        Err(error) => assert_eq!(error.to_string(), expected, "{format} input {input:?}"),
    }
}

/// A fixture's JSON changed by `edit`, to reach a second shape of a service's output from
/// real data (words without utterances, a wrong type deep inside).
fn edited_fixture(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_slice(&fixture(name)).unwrap();
    edit(&mut value);
    serde_json::to_string(&value).unwrap()
}

/// The first `lines` lines of a real fixture fail as truncated JSON at the last line.
fn check_truncated(format: Format, name: &str, lines: usize) {
    let content = String::from_utf8(fixture(name)).unwrap();
    let truncated: Vec<&str> = content.lines().take(lines).collect();
    let error = parse(format, truncated.join("\n").as_bytes()).unwrap_err();
    assert_eq!(error.location(), Some(rapport_transcript::Location::Line(lines)), "{error}");
    assert!(error.to_string().contains("not valid JSON: EOF while parsing"), "{error}");
}
