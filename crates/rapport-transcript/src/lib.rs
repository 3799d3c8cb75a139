//! Call transcripts: one model, importers for the formats meeting tools and speech-to-text
//! services write, speaker roles, and writers back to WebVTT, SRT, text and JSON.
//!
//! Pure: every function takes bytes or text a caller already read and returns data; nothing
//! here touches a file, the network or a clock.
//!
//! ```
//! use rapport_transcript::{assign_roles, import, RoleRules};
//!
//! let vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nAnn Lee: Hello!\n";
//! let mut transcript = import("call.vtt", vtt).unwrap();
//! assign_roles(&mut transcript, &RoleRules { reps: vec!["Ann Lee".into()], ..RoleRules::default() });
//! assert_eq!(transcript.utterances[0].speaker.as_deref(), Some("Ann Lee"));
//! assert_eq!(transcript.utterances[0].role, rapport_transcript::Role::Rep);
//! ```
//!
//! # Times
//!
//! Every time in the model is in **seconds** from the start of the recording, as an `f64`
//! (Whisper, Deepgram and AWS already count in seconds; AssemblyAI's milliseconds are divided
//! by 1000 on the way in). Storage that keeps milliseconds converts at its own edge with
//! [`Utterance::start_ms`] and friends.
//!
//! # Errors
//!
//! Bad input gives a [`TranscriptError`] that names the line (WebVTT, SRT) or the JSON path
//! (`results.items[12].start_time: expected a number`). [`import`] adds the file's display
//! name in front; [`parse`] leaves that to the caller.

mod assemblyai;
mod aws;
mod cue_text;
mod cues;
mod decode;
mod deepgram;
mod error;
mod format;
mod json_walk;
mod model;
mod names;
mod rapport_json;
mod roles;
mod srt;
mod timestamp;
mod turns;
mod webvtt;
mod whisper;
mod write;

pub use error::{Location, TranscriptError};
pub use format::{detect, Format};
pub use model::{Role, Transcript, Utterance, Word};
pub use roles::{assign_roles, CompanyUser, RoleRules};
pub use write::{to_json, to_srt, to_text, to_webvtt};

/// Reads a transcript in the given format. `bytes` is UTF-8 (a byte-order mark is skipped)
/// or UTF-16 with a byte-order mark, as some Windows tools write subtitles.
pub fn parse(format: Format, bytes: &[u8]) -> Result<Transcript, TranscriptError> {
    let text = decode::decode_text(bytes)?;
    match format {
        Format::WebVtt => webvtt::parse_webvtt(&text),
        Format::Srt => srt::parse_srt(&text),
        Format::WhisperJson => whisper::parse_whisper(&text),
        Format::AwsTranscribeJson => aws::parse_aws_transcribe(&text),
        Format::DeepgramJson => deepgram::parse_deepgram(&text),
        Format::AssemblyAiJson => assemblyai::parse_assemblyai(&text),
        Format::RapportJson => rapport_json::parse_rapport_json(&text),
    }
}

/// Detects the format of a file and reads it; errors carry `name` in front of the line or
/// JSON path (`calls/a.vtt: line 12: …`). `name` is only displayed and used for its
/// extension; nothing is opened.
pub fn import(name: &str, bytes: &[u8]) -> Result<Transcript, TranscriptError> {
    detect(name, bytes).and_then(|format| parse(format, bytes)).map_err(|error| error.in_file(name))
}
