//! The transcript model every importer produces and every writer reads.

use serde::{Deserialize, Serialize};

use crate::timestamp::seconds_to_millis;
use crate::Format;

/// One call's transcript: who said what, and when. Importers return utterances in order of
/// start time, none with empty text, none ending before it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub utterances: Vec<Utterance>,
    /// Length of the recording in seconds when the source says so (Deepgram, AssemblyAI,
    /// Rapport JSON); the last utterance's end is not the same thing, so it is not guessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    /// The format the transcript was read from; absent in Rapport JSON written by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_format: Option<Format>,
}

/// One speaker turn (or one subtitle cue when the source has no turns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utterance {
    /// Speaker name or diarization label (`Speaker A`, `Speaker 0`); `None` when the source
    /// does not say who spoke.
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub role: Role,
    /// Audio channel (0-based) for multi-channel recordings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<u32>,
    /// Seconds from the start of the recording (as are all times in the model).
    pub start: f64,
    pub end: f64,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Word>,
}

/// One recognised word with its timing; `text` keeps the punctuation the service attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub start: f64,
    pub end: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
}

/// Which side of the call a speaker is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Rep,
    Customer,
    #[default]
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Customer => "customer",
            Role::Unknown => "unknown",
        }
    }
}

impl Transcript {
    /// Distinct speaker labels in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for speaker in self.utterances.iter().filter_map(|u| u.speaker.as_deref()) {
            if !seen.contains(&speaker) {
                seen.push(speaker);
            }
        }
        seen
    }

    /// End of the last utterance in seconds (0 for an empty transcript).
    pub fn last_end(&self) -> f64 {
        self.utterances.iter().map(|u| u.end).fold(0.0, f64::max)
    }
}

impl Utterance {
    /// An utterance with no speaker, role or words yet.
    pub fn new(start: f64, end: f64, text: impl Into<String>) -> Self {
        Utterance {
            speaker: None,
            role: Role::Unknown,
            channel: None,
            start,
            end,
            text: text.into(),
            words: Vec::new(),
        }
    }

    /// Start in whole milliseconds, for storage that counts in milliseconds.
    pub fn start_ms(&self) -> u64 {
        seconds_to_millis(self.start)
    }

    pub fn end_ms(&self) -> u64 {
        seconds_to_millis(self.end)
    }
}

impl Word {
    pub fn start_ms(&self) -> u64 {
        seconds_to_millis(self.start)
    }

    pub fn end_ms(&self) -> u64 {
        seconds_to_millis(self.end)
    }
}
