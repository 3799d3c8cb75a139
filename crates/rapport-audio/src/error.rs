//! The one error type of this crate: every message starts with the file and names the problem.

/// Why a recording could not be decoded. Every variant carries the file name as the caller gave
/// it (`calls/x.mp3`), so a message read in a job's failure reason or a terminal points at the
/// file without more context.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file could not be opened or read.
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },

    /// The file has no bytes at all.
    #[error("{file}: empty file (0 bytes)")]
    EmptyFile { file: String },

    /// No supported or known audio format recognises the bytes (a text file, random data).
    #[error("{file}: not an audio file ({detail})")]
    NotAudio { file: String, detail: String },

    /// A known audio format or codec that this build cannot decode (AIFF, Opus, WMA, …).
    #[error("{file}: unsupported audio: {detail}; convert it to WAV, MP3, FLAC, OGG/Vorbis or M4A/AAC")]
    Unsupported { file: String, detail: String },

    /// The container was recognised but holds no audio samples.
    #[error("{file}: no audio samples")]
    NoSamples { file: String },

    /// Well under the length the file's header announces could be decoded: the data ended early
    /// (the usual case: an interrupted upload or copy) or a damaged stretch was skipped. Nothing
    /// is returned: a call cut short would otherwise be transcribed and scored as if whole.
    #[error("{file}: truncated: decoded {decoded_s:.1} s of the {expected_s:.1} s the header announces")]
    Truncated { file: String, decoded_s: f64, expected_s: f64 },

    /// The data ends before the container's headers could be read: for M4A, whose index often
    /// follows the samples, and Ogg, whose last page gives the length, any cut ends here.
    #[error("{file}: truncated: the data ends before the {format} headers could be read")]
    TruncatedHeader { file: String, format: String },

    /// The data is damaged beyond the occasional bad packet that decoding skips.
    #[error("{file}: corrupt: {detail}")]
    Corrupt { file: String, detail: String },

    /// The caller asked for a channel layout the recording cannot have.
    #[error(
        "rep channel {rep_channel} does not exist: the recording has {channels} channel(s), numbered from 0"
    )]
    NoSuchChannel { rep_channel: usize, channels: usize },
}

impl AudioError {
    /// The file the error is about, where there is one.
    pub fn file(&self) -> Option<&str> {
        match self {
            AudioError::Io { file, .. }
            | AudioError::EmptyFile { file }
            | AudioError::NotAudio { file, .. }
            | AudioError::Unsupported { file, .. }
            | AudioError::NoSamples { file }
            | AudioError::Truncated { file, .. }
            | AudioError::TruncatedHeader { file, .. }
            | AudioError::Corrupt { file, .. } => Some(file),
            AudioError::NoSuchChannel { .. } => None,
        }
    }
}
