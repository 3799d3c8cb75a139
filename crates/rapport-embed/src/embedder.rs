//! `Embedder`: sentences in, unit-length 384-dimensional vectors out, as sentence-transformers'
//! all-MiniLM-L6-v2 computes them (BERT, mean pooling over real tokens, L2 normalisation).
//!
//! Sentences are tokenised, sorted by length and run in batches padded only to the batch's
//! longest member, so a call of short utterances wastes almost nothing on padding; the
//! vectors come back in the caller's order.

use std::fmt;
use std::path::{Path, PathBuf};

use candle_core::{Device, Tensor};
use rayon::prelude::*;
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

use crate::bert::{Bert, BertConfig, Precision};
use crate::EmbedError;

/// Longest input in tokens (special tokens included); sentence-transformers' setting for
/// all-MiniLM-L6-v2 (`max_seq_length` 256), longer text is cut.
pub const MAX_TOKENS: usize = 256;

/// Most sentences in one forward pass, and most padded tokens. Small batches win on one
/// core: a batch's activations (128 × 1536 floats at the widest) stay in the L2 cache between
/// layers, and the allocator reuses their memory instead of faulting in fresh pages
/// (measured on `bench/analysis/embeddings.sh`: 128 tokens 1.02 s per call, 512 1.16 s,
/// 4,096 1.31 s, before the fused attention).
const BATCH_SENTENCES: usize = 64;
const BATCH_TOKENS: usize = 128;

/// The files a model folder must hold.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

pub struct Embedder {
    bert: Bert,
    tokenizer: Tokenizer,
    device: Device,
    dimensions: usize,
    /// Where the model was loaded from, for messages.
    dir: PathBuf,
    /// `None`: rayon's global pool (all cores, or `RAYON_NUM_THREADS`).
    pool: Option<rayon::ThreadPool>,
}

impl fmt::Debug for Embedder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("dimensions", &self.dimensions)
            .field("precision", &self.bert.precision())
            .field("threads", &self.pool.as_ref().map(rayon::ThreadPool::current_num_threads))
            .finish()
    }
}

impl Embedder {
    /// Loads a model folder holding `config.json`, `tokenizer.json` and `model.safetensors`
    /// (a sentence-transformers or Hugging Face BERT checkpoint).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Embedder, EmbedError> {
        let dir = dir.as_ref();
        if let Some(file) = MODEL_FILES.iter().find(|file| !dir.join(file).is_file()) {
            return Err(EmbedError::ModelMissing { dir: dir.into(), file: (*file).into() });
        }
        Embedder::from_files(
            &dir.join("config.json"),
            &dir.join("tokenizer.json"),
            &dir.join("model.safetensors"),
        )
        .map(|embedder| Embedder { dir: dir.into(), ..embedder })
    }

    /// Loads a model by Hugging Face id (`sentence-transformers/all-MiniLM-L6-v2`), from the
    /// hf-hub cache in `cache_dir` (default: `HF_HOME`'s, `~/.cache/huggingface/hub`),
    /// downloading the three files once when missing. See [`crate::hub`].
    pub fn from_hub(model_id: &str, cache_dir: Option<&Path>) -> Result<Embedder, EmbedError> {
        let files = crate::hub::resolve(model_id, cache_dir)?;
        let embedder = Embedder::from_files(&files.config, &files.tokenizer, &files.weights)?;
        let dir = files.weights.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Embedder { dir, ..embedder })
    }

    /// A folder when `source` is one, else a Hugging Face id: what `--embedding-model` takes.
    pub fn from_dir_or_hub(source: &str, cache_dir: Option<&Path>) -> Result<Embedder, EmbedError> {
        if Path::new(source).is_dir() {
            Embedder::from_dir(source)
        } else {
            Embedder::from_hub(source, cache_dir)
        }
    }

    fn from_files(config: &Path, tokenizer: &Path, weights: &Path) -> Result<Embedder, EmbedError> {
        let invalid = |path: &Path, message: String| EmbedError::ModelInvalid { path: path.into(), message };
        let text = std::fs::read_to_string(config).map_err(|error| invalid(config, error.to_string()))?;
        let config_values: BertConfig =
            serde_json::from_str(&text).map_err(|error| invalid(config, error.to_string()))?;
        let mut tokenizer_model =
            Tokenizer::from_file(tokenizer).map_err(|error| invalid(tokenizer, error.to_string()))?;
        let max_length = MAX_TOKENS.min(config_values.max_position_embeddings);
        tokenizer_model
            .with_truncation(Some(TruncationParams {
                max_length,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|error| invalid(tokenizer, error.to_string()))?;
        // Padding is ours, per length-sorted batch (see `embed`).
        tokenizer_model.with_padding(None);
        let device = Device::Cpu;
        let tensors = candle_core::safetensors::load(weights, &device)
            .map_err(|error| invalid(weights, error.to_string()))?;
        let mut bert = Bert::new(tensors, &config_values, &device)
            .map_err(|error| invalid(weights, error.to_string()))?;
        bert.set_precision(bert.fastest_precision()).map_err(|error| invalid(weights, error.to_string()))?;
        Ok(Embedder {
            bert,
            tokenizer: tokenizer_model,
            device,
            dimensions: config_values.hidden_size,
            dir: PathBuf::new(),
            pool: None,
        })
    }

    /// Runs every later `embed` on a pool of `threads` threads (tokenising and the matrix
    /// products alike) instead of rayon's global pool; `1` keeps it on one core.
    pub fn with_threads(mut self, threads: usize) -> Result<Embedder, EmbedError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(|index| format!("embed-{index}"))
            .build()
            .map_err(|error| EmbedError::Threads { threads, message: error.to_string() })?;
        self.pool = Some(pool);
        Ok(self)
    }

    /// Runs the encoder in `precision` from now on. Loading picks int8 where the CPU has
    /// AVX-512 VNNI, else f32; f32 is the reference the int8 path is measured against.
    pub fn with_precision(mut self, precision: Precision) -> Result<Embedder, EmbedError> {
        self.bert.set_precision(precision).map_err(|error| EmbedError::ModelInvalid {
            path: self.dir.clone(),
            message: error.to_string(),
        })?;
        Ok(self)
    }

    pub fn precision(&self) -> Precision {
        self.bert.precision()
    }

    /// Length of every vector (384 for all-MiniLM-L6-v2).
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// The folder the model files were read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// One unit-length vector per sentence, in order. Empty text is allowed (its vector is
    /// the model's view of an empty sentence).
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        match &self.pool {
            Some(pool) => pool.install(|| self.embed_here(sentences)),
            None => self.embed_here(sentences),
        }
    }

    /// Token ids per sentence, as the model sees them (special tokens included, truncated).
    pub fn token_counts(&self, sentences: &[&str]) -> Result<Vec<usize>, EmbedError> {
        Ok(self.tokenize(sentences)?.iter().map(Vec::len).collect())
    }

    fn tokenize(&self, sentences: &[&str]) -> Result<Vec<Vec<u32>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch(sentences.to_vec(), true)
            .map_err(|error| EmbedError::Tokenizer(error.to_string()))?;
        Ok(encodings.into_iter().map(|encoding| encoding.get_ids().to_vec()).collect())
    }

    fn embed_here(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        // Calls repeat themselves ("Yeah.", "Okay.", "Mm-hmm."): each distinct text runs once.
        let mut distinct: Vec<&str> = Vec::new();
        let mut slot_of = std::collections::HashMap::new();
        let slots: Vec<usize> = sentences
            .iter()
            .map(|&sentence| {
                *slot_of.entry(sentence).or_insert_with(|| {
                    distinct.push(sentence);
                    distinct.len() - 1
                })
            })
            .collect();
        let vectors = self.embed_distinct(&distinct)?;
        Ok(slots.into_iter().map(|slot| vectors[slot].clone()).collect())
    }

    fn embed_distinct(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let ids = self.tokenize(sentences)?;
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&index| ids[index].len());
        let mut batches = Vec::new();
        let mut start = 0;
        while start < order.len() {
            // Sorted ascending, so the batch's last member is its longest.
            let mut end = start + 1;
            while end < order.len()
                && end - start < BATCH_SENTENCES
                && (end - start + 1) * ids[order[end]].len() <= BATCH_TOKENS
            {
                end += 1;
            }
            batches.push(&order[start..end]);
            start = end;
        }
        // Batches are independent: each thread of the pool takes whole batches, which keeps
        // every core busy with the int8 products (single-threaded per batch) too.
        let results: Vec<Vec<Vec<f32>>> = batches
            .par_iter()
            .map(|batch| self.run_batch(batch.iter().map(|&i| &ids[i][..])))
            .collect::<Result<_, _>>()?;
        let mut vectors = vec![Vec::new(); ids.len()];
        for (batch, result) in batches.iter().zip(results) {
            for (&index, vector) in batch.iter().zip(result) {
                vectors[index] = vector;
            }
        }
        Ok(vectors)
    }

    fn run_batch<'a>(
        &self,
        batch: impl ExactSizeIterator<Item = &'a [u32]> + Clone,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let size = batch.len();
        let length = batch.clone().map(<[u32]>::len).max().unwrap_or(0).max(1);
        let mut flat_ids = vec![0u32; size * length];
        let mut flat_mask = vec![0f32; size * length];
        for (row, ids) in batch.enumerate() {
            flat_ids[row * length..row * length + ids.len()].copy_from_slice(ids);
            flat_mask[row * length..row * length + ids.len()].fill(1.0);
        }
        let ids = Tensor::from_vec(flat_ids, (size, length), &self.device)?;
        let mask = Tensor::from_vec(flat_mask, (size, length), &self.device)?;
        Ok(self.bert.embed(&ids, &mask)?.to_vec2::<f32>()?)
    }
}

/// Dot product; the cosine similarity of two unit vectors such as `embed` returns.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
