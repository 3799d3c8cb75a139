//! The one error type of this crate: what is wrong with the input, and where.

use std::fmt;

/// Where in the input a problem is: a 1-based line for text formats, a JSON path
/// (`results.items[3].start_time`) for JSON formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Line(usize),
    JsonPath(String),
}

impl fmt::Display for Location {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(line) => write!(formatter, "line {line}"),
            Location::JsonPath(path) if path.is_empty() => formatter.write_str("top level"),
            Location::JsonPath(path) => formatter.write_str(path),
        }
    }
}

/// Bad input. The Display text is meant to follow a file name: `calls/a.vtt: line 12: …`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TranscriptError {
    /// A problem at a line of a WebVTT or SRT file.
    #[error("line {line}: {message}")]
    AtLine { line: usize, message: String },
    /// A problem at a value inside a JSON document.
    #[error("{}: {message}", Location::JsonPath(path.clone()))]
    AtJsonPath { path: String, message: String },
    /// The input is not JSON at all.
    #[error("line {line}, column {column}: not valid JSON: {message}")]
    InvalidJson { line: usize, column: usize, message: String },
    /// The format could not be told from the name or the content.
    #[error("not a transcript format Rapport reads (WebVTT, SRT, Whisper, AWS Transcribe, Deepgram, AssemblyAI or Rapport JSON)")]
    UnknownFormat,
    /// Any of the above in a named file, as [`crate::import`] reports it.
    #[error("{name}: {source}")]
    InFile { name: String, source: Box<TranscriptError> },
}

impl TranscriptError {
    pub(crate) fn at_line(line: usize, message: impl Into<String>) -> Self {
        TranscriptError::AtLine { line, message: message.into() }
    }

    pub(crate) fn at_path(path: impl Into<String>, message: impl Into<String>) -> Self {
        TranscriptError::AtJsonPath { path: path.into(), message: message.into() }
    }

    /// The same error with the file's display name in front; naming a file twice keeps
    /// the first name, which is the one closest to the problem.
    pub fn in_file(self, name: impl Into<String>) -> Self {
        match self {
            TranscriptError::InFile { .. } => self,
            error => TranscriptError::InFile { name: name.into(), source: Box::new(error) },
        }
    }

    /// Where the problem is, when the input has a place to point at.
    pub fn location(&self) -> Option<Location> {
        match self {
            TranscriptError::AtLine { line, .. } | TranscriptError::InvalidJson { line, .. } => {
                Some(Location::Line(*line))
            }
            TranscriptError::AtJsonPath { path, .. } => Some(Location::JsonPath(path.clone())),
            TranscriptError::UnknownFormat => None,
            TranscriptError::InFile { source, .. } => source.location(),
        }
    }

    /// The problem without its location.
    pub fn message(&self) -> String {
        match self {
            TranscriptError::AtLine { message, .. } | TranscriptError::AtJsonPath { message, .. } => {
                message.clone()
            }
            TranscriptError::InvalidJson { message, .. } => format!("not valid JSON: {message}"),
            TranscriptError::UnknownFormat => TranscriptError::UnknownFormat.to_string(),
            TranscriptError::InFile { source, .. } => source.message(),
        }
    }
}
