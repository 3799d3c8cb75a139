//! Whisper's tokens: text to ids for prompts, ids to text for segments, ids to the token
//! strings CTranslate2 takes, and the special tokens long-form decoding needs.

use std::path::Path;

use tokenizers::Tokenizer;

use crate::AsrError;

/// The tokenizer and vocabulary of one model directory.
pub struct WhisperTokens {
    tokenizer: Tokenizer,
    /// CTranslate2's vocabulary, index = id; prompts go to the engine as these strings.
    vocabulary: Vec<String>,
    pub end_of_text: usize,
    pub start_of_transcript: usize,
    pub start_of_previous: usize,
    pub transcribe: usize,
    pub translate: usize,
    pub start_of_lm: usize,
    pub no_speech: usize,
    /// `<|0.00|>`; every id from here on is a timestamp, 20 ms apart.
    pub timestamp_begin: usize,
}

impl std::fmt::Debug for WhisperTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhisperTokens").field("vocabulary", &self.vocabulary.len()).finish_non_exhaustive()
    }
}

impl WhisperTokens {
    pub fn load(model_dir: &Path) -> Result<Self, AsrError> {
        let tokenizer_path = model_dir.join("tokenizer.json");
        let tokenizer = Tokenizer::from_file(&tokenizer_path)
            .map_err(|error| AsrError::ModelFile { path: tokenizer_path, message: error.to_string() })?;
        Self::new(tokenizer, read_vocabulary(model_dir)?)
    }

    fn new(tokenizer: Tokenizer, vocabulary: Vec<String>) -> Result<Self, AsrError> {
        let id = |token: &str| {
            vocabulary.iter().position(|t| t == token).ok_or_else(|| AsrError::ModelFile {
                path: "vocabulary".into(),
                message: format!("the vocabulary has no {token} token; is this a Whisper model?"),
            })
        };
        let no_timestamps = id("<|notimestamps|>")?;
        Ok(WhisperTokens {
            end_of_text: id("<|endoftext|>")?,
            start_of_transcript: id("<|startoftranscript|>")?,
            start_of_previous: id("<|startofprev|>")?,
            transcribe: id("<|transcribe|>")?,
            translate: id("<|translate|>")?,
            start_of_lm: id("<|startoflm|>")?,
            no_speech: id("<|nospeech|>").or_else(|_| id("<|nocaptions|>"))?,
            timestamp_begin: no_timestamps + 1,
            tokenizer,
            vocabulary,
        })
    }

    /// Text tokens of `text`, without special tokens.
    pub fn encode(&self, text: &str) -> Result<Vec<usize>, AsrError> {
        let encoding = self.tokenizer.encode(text, false).map_err(AsrError::engine)?;
        Ok(encoding.get_ids().iter().map(|id| *id as usize).collect())
    }

    /// The text of the text tokens among `ids` (timestamps and other special tokens dropped).
    pub fn decode(&self, ids: &[usize]) -> Result<String, AsrError> {
        let text_ids: Vec<u32> =
            ids.iter().filter(|id| **id < self.end_of_text).map(|id| *id as u32).collect();
        self.tokenizer.decode(&text_ids, false).map_err(AsrError::engine)
    }

    /// The strings CTranslate2 maps back to these ids.
    pub fn to_strings(&self, ids: &[usize]) -> Vec<String> {
        ids.iter().map(|id| self.vocabulary[*id].clone()).collect()
    }

    /// The id of `<|xx|>` for a language code such as `en`.
    pub fn language(&self, code: &str) -> Option<usize> {
        let token = format!("<|{code}|>");
        self.vocabulary[self.start_of_transcript..self.translate]
            .iter()
            .position(|t| *t == token)
            .map(|i| i + self.start_of_transcript)
    }

    /// Tokens the decoder must never produce beyond those the model's config already bans:
    /// task and sequence markers (as faster-whisper does; `-1` asks for the config's list).
    pub fn suppressed(&self) -> Vec<i32> {
        let ids = [self.transcribe, self.translate, self.start_of_transcript, self.start_of_previous];
        let mut out: Vec<i32> = vec![-1];
        out.extend(ids.iter().chain([&self.start_of_lm, &self.no_speech]).map(|id| *id as i32));
        out
    }
}

/// `vocabulary.txt` (one token a line) or, from newer converters, `vocabulary.json`.
fn read_vocabulary(model_dir: &Path) -> Result<Vec<String>, AsrError> {
    let text_path = model_dir.join("vocabulary.txt");
    let json_path = model_dir.join("vocabulary.json");
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .map_err(|error| AsrError::ModelFile { path: path.into(), message: error.to_string() })
    };
    if text_path.exists() {
        Ok(read(&text_path)?.lines().map(str::to_owned).collect())
    } else if json_path.exists() {
        serde_json::from_str(&read(&json_path)?)
            .map_err(|error| AsrError::ModelFile { path: json_path, message: error.to_string() })
    } else {
        Err(AsrError::ModelMissing { dir: model_dir.into(), file: "vocabulary.txt".into() })
    }
}
