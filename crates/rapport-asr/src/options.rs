//! What a caller can tune, and what comes back: options for loading and decoding, and the
//! timed segments of a transcript.

use crate::fallback::FallbackOptions;
use crate::vad::VadOptions;
pub use crate::words::Word;

/// Numeric precision of the model's weights and arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ComputeType {
    /// 8-bit integer weights: the fastest on CPU, at a negligible cost in accuracy.
    #[default]
    Int8,
    Float32,
    /// Whatever the model file was saved with.
    AsSaved,
}

/// How to load a model and decode with it.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriberOptions {
    /// CPU threads for the whole transcription (split between channels decoded in parallel);
    /// 0 means every available core.
    pub threads: usize,
    pub compute_type: ComputeType,
    /// Beam width at temperature 0. 5, as faster-whisper and openai-whisper's command line
    /// use: on tiny.en it is worth about a point of WER over greedy search for roughly a
    /// third more decoding time, and it makes results comparable with theirs.
    pub beam_size: usize,
    /// Samples drawn at each fallback temperature, the most likely kept.
    pub best_of: usize,
    pub fallback: FallbackOptions,
    /// Feed each window the text before it, which keeps names and style consistent; turned
    /// off automatically after a hot fallback so a hallucination does not propagate.
    pub condition_on_previous_text: bool,
    /// Text the first window continues from: a sentence in the style expected.
    pub initial_prompt: Option<String>,
    /// Words the model should prefer when it hears them, put before every window: product
    /// names, competitors, jargon.
    pub hotwords: Vec<String>,
    /// Language code (`en`, `de`, …) for multilingual models; detected from the first window
    /// when unset. English-only models ignore it.
    pub language: Option<String>,
    /// Skip long silences before decoding; `None` decodes everything.
    pub vad: Option<VadOptions>,
    /// Fill [`Segment::words`] with word timings from the decoder's attention (one more
    /// decoder pass per window).
    pub word_timestamps: bool,
}

impl Default for TranscriberOptions {
    fn default() -> Self {
        TranscriberOptions {
            threads: 0,
            compute_type: ComputeType::Int8,
            beam_size: 5,
            best_of: 5,
            fallback: FallbackOptions::default(),
            condition_on_previous_text: true,
            initial_prompt: None,
            hotwords: Vec::new(),
            language: None,
            vad: Some(VadOptions::default()),
            word_timestamps: false,
        }
    }
}

impl TranscriberOptions {
    /// The thread count to use: `threads`, or every core when it is 0.
    pub fn effective_threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

/// One stretch of transcribed speech; times in seconds from the start of the samples given.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// Mean log-probability of its window's tokens: near 0 is confident, below -1 a guess.
    pub avg_logprob: f64,
    /// The model's belief that its window held no speech.
    pub no_speech_prob: f64,
    /// The decoding temperature its window needed (0 unless the fallback kicked in).
    pub temperature: f32,
    pub compression_ratio: f64,
    /// Word timings, when [`TranscriberOptions::word_timestamps`] asked for them.
    pub words: Vec<Word>,
}
