//! The one error type of this crate.

use std::path::PathBuf;

/// Everything that can go wrong resolving a model or transcribing audio.
///
/// `ModelMissing` and `Offline` are the user's to fix (a path, a download); the others are
/// the system's (a broken model file, an engine failure) and carry the underlying message.
#[derive(Debug, thiserror::Error)]
pub enum AsrError {
    #[error("model directory {dir} is missing {file}; a faster-whisper model directory holds model.bin, config.json, tokenizer.json, vocabulary.txt and preprocessor_config.json")]
    ModelMissing { dir: PathBuf, file: String },

    #[error("cannot read {path}: {message}")]
    ModelFile { path: PathBuf, message: String },

    #[error("model {id} is not in the cache and could not be downloaded ({reason}).\nDownload these files from https://huggingface.co/{id}/tree/main:\n  {files}\nand put them in {dir}\n(or pass that directory as a local model).")]
    Offline { id: String, reason: String, files: String, dir: PathBuf },

    #[error("downloading {url}: {message}")]
    Download { url: String, message: String },

    #[error("invalid option: {0}")]
    InvalidOption(String),

    #[error("the speech engine failed: {0}")]
    Engine(String),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl AsrError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        AsrError::Io { context: context.into(), source }
    }

    pub(crate) fn engine(error: impl std::fmt::Display) -> Self {
        AsrError::Engine(error.to_string())
    }
}
