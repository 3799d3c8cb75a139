//! Local speech-to-text: Whisper models on CTranslate2 (through `ct2rs`), in faster-whisper's
//! model directory format, with long-form decoding written here on the engine's low-level API.
//!
//! Pure apart from the model: callers hand in 16 kHz mono `f32` samples (decoding files is
//! `rapport-audio`'s job) and get timed segments back. [`resolve_model`] is the one function
//! that touches the network, to download a model into a cache once.
//!
//! ```no_run
//! use rapport_asr::{resolve_model, ModelSource, Transcriber, TranscriberOptions};
//!
//! let dir = resolve_model(&ModelSource::Local("models/tiny.en".into()), &mut |_, _| {})?;
//! let transcriber = Transcriber::load(&dir, &TranscriberOptions::default())?;
//! let samples = vec![0.0f32; 16_000];
//! for segment in transcriber.transcribe(&samples, &mut |_share| {})? {
//!     println!("[{:.2} → {:.2}] {}", segment.start, segment.end, segment.text);
//! }
//! # Ok::<(), rapport_asr::AsrError>(())
//! ```
//!
//! How a recording is decoded: the voice-activity detector ([`vad`]) cuts silences of two
//! seconds or more and keeps a map back to recording times; the log-mel spectrogram
//! ([`mel`]) of the kept audio is cut into 30-second windows; each window is encoded once and
//! decoded with the text before it as prompt, again at higher temperatures when the output
//! repeats itself or is unsure ([`fallback`]); its timestamp tokens give segment times and
//! where the next window starts ([`segments`]). Word times come from the decoder's
//! cross-attention; they also cut a segment that runs over a removed silence, so every time
//! is a recording time. Channels are decoded in parallel on engine replicas.
//!
//! The engine is CTranslate2 with its bundled ruy GEMM (no BLAS library, nothing downloaded
//! at build time); `cmake` and a C++17 compiler build it (`scripts/setup.sh`).

mod error;
pub mod fallback;
mod longform;
pub mod mel;
mod model;
mod options;
pub mod segments;
mod tokens;
mod transcriber;
pub mod vad;
pub mod wer;
mod window;
mod words;

pub use error::AsrError;
pub use model::{check_model_dir, resolve_model, ModelSource};
pub use options::{ComputeType, Segment, TranscriberOptions, Word};
pub use transcriber::Transcriber;
