//! The formats Rapport reads, and telling which one a file is in from its content, with the
//! file name's extension as the fallback (content wins: exported files are often misnamed).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cues::split_lines;
use crate::decode::decode_text;
use crate::json_walk::parse_json_text;
use crate::TranscriptError;

/// A transcript format. The serialised names (`webvtt`, `deepgram_json`, …) are the ones
/// [`Format::name`] returns and [`Format::from_str`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// WebVTT from Zoom (`Name: text`), Teams (`<v Name>text</v>`) or Whisper.
    #[serde(rename = "webvtt")]
    WebVtt,
    #[serde(rename = "srt")]
    Srt,
    /// openai-whisper's `{"segments": […]}`, or a faster-whisper / WhisperX segment list.
    #[serde(rename = "whisper_json")]
    WhisperJson,
    #[serde(rename = "aws_transcribe_json")]
    AwsTranscribeJson,
    #[serde(rename = "deepgram_json")]
    DeepgramJson,
    #[serde(rename = "assemblyai_json")]
    AssemblyAiJson,
    /// Rapport's own `{"utterances": [{"speaker", "role", "start", "end", "text"}…]}`.
    #[serde(rename = "rapport_json")]
    RapportJson,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::WebVtt,
        Format::Srt,
        Format::WhisperJson,
        Format::AwsTranscribeJson,
        Format::DeepgramJson,
        Format::AssemblyAiJson,
        Format::RapportJson,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::WebVtt => "webvtt",
            Format::Srt => "srt",
            Format::WhisperJson => "whisper_json",
            Format::AwsTranscribeJson => "aws_transcribe_json",
            Format::DeepgramJson => "deepgram_json",
            Format::AssemblyAiJson => "assemblyai_json",
            Format::RapportJson => "rapport_json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = TranscriptError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(name.trim()))
            .ok_or(TranscriptError::UnknownFormat)
    }
}

/// Tells the format of `bytes`, named `name` (only its extension is used). JSON is told
/// apart by the keys each service writes. Text that looks like JSON but does not parse
/// fails with the JSON syntax error, since that is what is wrong with the file.
pub fn detect(name: &str, bytes: &[u8]) -> Result<Format, TranscriptError> {
    let text = decode_text(bytes)?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let extension = name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase());
    let looks_like_json = trimmed.starts_with(['{', '[']);
    if !looks_like_json {
        if trimmed.starts_with("WEBVTT") {
            return Ok(Format::WebVtt);
        }
        if looks_like_srt(trimmed) {
            return Ok(Format::Srt);
        }
    }
    match extension.as_deref() {
        _ if looks_like_json => {}
        // Not JSON by its first character: reading it says where and why.
        Some("json") => {}
        Some("vtt") => return Ok(Format::WebVtt),
        Some("srt") => return Ok(Format::Srt),
        _ => return Err(TranscriptError::UnknownFormat),
    }
    let value = parse_json_text(&text)?;
    detect_json(&value).ok_or(TranscriptError::UnknownFormat)
}

/// A subtitle number followed by a timing line, or a timing line first.
fn looks_like_srt(text: &str) -> bool {
    let lines = split_lines(text);
    let first = lines.first().map_or("", |line| line.trim());
    let second = lines.get(1).map_or("", |line| line.trim());
    let is_number = !first.is_empty() && first.bytes().all(|byte| byte.is_ascii_digit());
    (is_number && second.contains("-->")) || first.contains("-->")
}

/// Each service's response has a shape no other one shares.
fn detect_json(value: &Value) -> Option<Format> {
    if let Value::Array(segments) = value {
        // faster-whisper and WhisperX dumps are bare segment lists.
        let is_segments =
            segments.first().is_none_or(|first| first.get("start").is_some() && first.get("text").is_some());
        return is_segments.then_some(Format::WhisperJson);
    }
    let has = |key: &str| value.get(key).is_some();
    if let Some(results) = value.get("results") {
        let results_has = |key: &str| results.get(key).is_some();
        if results_has("items") || results_has("transcripts") || results_has("channel_labels") {
            return Some(Format::AwsTranscribeJson);
        }
        if results_has("channels") || results_has("utterances") {
            return Some(Format::DeepgramJson);
        }
        return None;
    }
    if has("segments") {
        return Some(Format::WhisperJson);
    }
    // AssemblyAI transcripts always carry their job fields; Rapport JSON has none of them.
    if ["audio_url", "audio_duration", "acoustic_model", "speech_model"].into_iter().any(has) {
        return Some(Format::AssemblyAiJson);
    }
    if has("utterances") {
        return Some(Format::RapportJson);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, content: &str, expected: Result<Format, &str>) {
        let actual = detect(name, content.as_bytes()).map_err(|error| error.to_string());
        assert_eq!(actual, expected.map_err(str::to_string), "{name}: {content:?}");
    }

    #[test]
    fn tells_formats_by_content() {
        check("a.txt", "WEBVTT\n\n", Ok(Format::WebVtt));
        check("a.vtt", "\u{feff}WEBVTT - Teams\n", Ok(Format::WebVtt));
        check("a", "1\n00:00:01,000 --> 00:00:02,000\nHi\n", Ok(Format::Srt));
        check("a.vtt", "1\r\n00:00:01,000 --> 00:00:02,000\r\n", Ok(Format::Srt));
        check("a", r#"{"text": "", "segments": []}"#, Ok(Format::WhisperJson));
        check("a", r#"[{"start": 0, "end": 1, "text": "hi"}]"#, Ok(Format::WhisperJson));
        check("a", "[]", Ok(Format::WhisperJson));
        check("a", r#"{"results": {"items": []}}"#, Ok(Format::AwsTranscribeJson));
        check("a", r#"{"results": {"channels": []}}"#, Ok(Format::DeepgramJson));
        check("a", r#"{"audio_url": "x", "utterances": null}"#, Ok(Format::AssemblyAiJson));
        check("a", r#"{"utterances": []}"#, Ok(Format::RapportJson));
    }

    #[test]
    fn falls_back_to_the_extension() {
        check("call.VTT", "00:01.000 text without header", Ok(Format::WebVtt));
        check("call.srt", "Hello\n", Ok(Format::Srt));
    }

    #[test]
    fn says_what_is_wrong_when_it_cannot_tell() {
        let message = TranscriptError::UnknownFormat.to_string();
        let unknown: Result<Format, &str> = Err(&message);
        check("notes.txt", "Just some notes", unknown);
        check("a.json", r#"{"foo": 1}"#, unknown);
        check("a", "[1, 2]", unknown);
        check("a", r#"{"results": {}}"#, unknown);
        check(
            "a.json",
            "{\"segments\": [\n{\"start\": 1,",
            Err("line 2, column 12: not valid JSON: EOF while parsing a value"),
        );
        check("a.json", "Hello", Err("line 1, column 1: not valid JSON: expected value"));
        check("a.json", "WEBVTT\n", Ok(Format::WebVtt));
    }

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert_eq!(serde_json::to_value(format).unwrap(), format.name());
        }
        assert_eq!("nope".parse::<Format>(), Err(TranscriptError::UnknownFormat));
    }
}
