//! The crate's one error type: what the user can fix (a model folder that lacks a file, a
//! tracker file that does not parse, too few examples) apart from what they cannot (candle).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("embedding model folder {dir} is missing {file}")]
    ModelMissing { dir: PathBuf, file: String },
    #[error("{path}: {message}")]
    ModelInvalid { path: PathBuf, message: String },
    #[error("{0:?} is not a Hugging Face model id (owner/name)")]
    BadModelId(String),
    #[error("embedding model {id} is not in the cache {cache} and could not be downloaded ({reason}).\nDownload config.json, tokenizer.json and model.safetensors from https://huggingface.co/{id}/tree/main\ninto a folder and pass that folder instead of the id.")]
    Download { id: String, cache: PathBuf, reason: String },
    #[error("tokenizing: {0}")]
    Tokenizer(String),
    #[error("running the embedding model: {0}")]
    Model(#[from] candle_core::Error),
    #[error("smart trackers file: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("smart tracker {tracker:?}: {message}")]
    Tracker { tracker: String, message: String },
    #[error("topics: {0}")]
    Topics(String),
    #[error("setting up {threads} embedding threads: {message}")]
    Threads { threads: usize, message: String },
}

impl EmbedError {
    /// Whether the user can fix it (a path, an id, a file's content), as opposed to a fault
    /// of the model run itself.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, EmbedError::Model(_) | EmbedError::Threads { .. } | EmbedError::Tokenizer(_))
    }
}
