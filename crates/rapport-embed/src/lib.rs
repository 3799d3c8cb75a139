//! Sentence embeddings and what Rapport learns from them: smart trackers (a concept learned
//! from example sentences) and topics discovered across calls.
//!
//! [`Embedder`] runs all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions) on the CPU with
//! candle, loaded from a folder or a Hugging Face id. Everything else is pure computation on
//! its vectors: [`SmartTracker`] (logistic regression with a cross-validated threshold),
//! [`find_smart_hits`] over a transcript, and [`discover_topics`] (k-means with a silhouette
//! choice of k, topics named by class-based TF-IDF). Reading the model files (and
//! downloading them once) is the crate's only IO; nothing here is async or touches storage.

mod attention;
mod bert;
mod classifier;
mod embedder;
mod error;
mod hits;
pub mod hub;
mod int8;
mod rng;
mod smart;
mod topics;

pub use bert::Precision;
pub use classifier::LinearModel;
pub use embedder::{cosine, Embedder, MAX_TOKENS, MODEL_FILES};
pub use error::EmbedError;
pub use hits::{find_smart_hits, SmartHit};
pub use smart::{
    default_smart_trackers, fit_vectors, parse_smart_trackers, FitReport, SmartTracker, SmartTrackerSpec,
    DEFAULT_SMART_TRACKERS_TOML, MIN_POSITIVES, NEUTRAL_SENTENCES,
};
pub use topics::{discover_topics, topic_timeline, Topic, TopicModel, TopicSegment, K_RANGE};

/// The Hugging Face id of the model the product is built and measured with.
pub const DEFAULT_MODEL_ID: &str = "sentence-transformers/all-MiniLM-L6-v2";
