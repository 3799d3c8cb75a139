//! The transcriber: loading a model into CTranslate2, and spreading channels over engine
//! replicas so they are decoded in parallel.

use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use ct2rs::sys::{self, Device, StorageView, Whisper};

use crate::mel::FeatureConfig;
use crate::model::check_model_dir;
use crate::tokens::WhisperTokens;
use crate::window::detect_language;
use crate::{AsrError, ComputeType, Segment, TranscriberOptions};

/// A loaded Whisper model and the options to decode with. Load once, transcribe many times;
/// it can be shared between threads.
#[derive(Debug)]
pub struct Transcriber {
    pub(crate) options: TranscriberOptions,
    pub(crate) features: FeatureConfig,
    pub(crate) tokens: WhisperTokens,
    engine: Whisper,
    multilingual: bool,
    model_dir: std::path::PathBuf,
    /// An engine with one replica per channel, made when channels are first decoded together.
    parallel: Mutex<Option<(usize, Arc<Whisper>)>>,
}

impl Transcriber {
    pub fn load(model_dir: &Path, options: &TranscriberOptions) -> Result<Self, AsrError> {
        check_model_dir(model_dir)?;
        if options.fallback.temperatures.is_empty() {
            return Err(AsrError::InvalidOption("at least one decoding temperature is needed".into()));
        }
        // Sampling at fallback temperatures is then reproducible from run to run.
        sys::set_random_seed(0);
        let engine = load_engine(model_dir, options.compute_type, 1, options.effective_threads())?;
        let preprocessor = model_dir.join("preprocessor_config.json");
        let features = if preprocessor.is_file() {
            FeatureConfig::load(&preprocessor)?
        } else {
            FeatureConfig { mel_bins: engine.n_mels(), ..FeatureConfig::whisper() }
        };
        if features.mel_bins != engine.n_mels() {
            let message = format!("{} mel bins, but the model reads {}", features.mel_bins, engine.n_mels());
            return Err(AsrError::ModelFile { path: preprocessor, message });
        }
        Ok(Transcriber {
            options: options.clone(),
            tokens: WhisperTokens::load(model_dir)?,
            multilingual: engine.is_multilingual(),
            features,
            engine,
            model_dir: model_dir.into(),
            parallel: Mutex::new(None),
        })
    }

    /// The sample rate `transcribe` expects (16 kHz for every Whisper model).
    pub fn sample_rate(&self) -> u32 {
        self.features.sampling_rate
    }

    /// Transcribes mono samples at [`Self::sample_rate`]; `progress` gets the share done.
    pub fn transcribe(
        &self,
        samples: &[f32],
        progress: &mut dyn FnMut(f64),
    ) -> Result<Vec<Segment>, AsrError> {
        self.transcribe_on(&self.engine, samples, progress)
    }

    /// Transcribes each channel on its own, in parallel, the threads split between them.
    pub fn transcribe_channels(
        &self,
        channels: &[Vec<f32>],
        progress: &mut dyn FnMut(f64),
    ) -> Result<Vec<Vec<Segment>>, AsrError> {
        if channels.len() <= 1 {
            return channels.iter().map(|channel| self.transcribe(channel, progress)).collect();
        }
        let engine = self.parallel_engine(channels.len())?;
        let total_samples = channels.iter().map(Vec::len).sum::<usize>().max(1) as f64;
        std::thread::scope(|scope| {
            let (sender, receiver) = mpsc::channel::<(usize, f64)>();
            let workers: Vec<_> = channels
                .iter()
                .enumerate()
                .map(|(index, channel)| {
                    let (sender, engine) = (sender.clone(), &engine);
                    scope.spawn(move || {
                        self.transcribe_on(engine, channel, &mut |share| {
                            let _ = sender.send((index, share));
                        })
                    })
                })
                .collect();
            drop(sender);
            // The caller's callback stays on the caller's thread; workers only send shares.
            let mut shares = vec![0.0; channels.len()];
            for (index, share) in receiver {
                shares[index] = share;
                let done: f64 = shares.iter().zip(channels).map(|(s, c)| s * c.len() as f64).sum();
                progress(done / total_samples);
            }
            workers
                .into_iter()
                .map(|worker| {
                    worker.join().unwrap_or_else(|_| Err(AsrError::engine("a decoding thread panicked")))
                })
                .collect()
        })
    }

    fn parallel_engine(&self, channels: usize) -> Result<Arc<Whisper>, AsrError> {
        let threads = self.options.effective_threads();
        let replicas = channels.min(threads).max(1);
        let mut cached = self.parallel.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((count, engine)) = cached.as_ref() {
            if *count == replicas {
                return Ok(engine.clone());
            }
        }
        let engine =
            Arc::new(load_engine(&self.model_dir, self.options.compute_type, replicas, threads / replicas)?);
        *cached = Some((replicas, engine.clone()));
        Ok(engine)
    }

    /// `<|startoftranscript|>`, then for multilingual models the language and the task.
    pub(crate) fn start_sequence(
        &self,
        engine: &Whisper,
        encoded: &StorageView,
    ) -> Result<Vec<usize>, AsrError> {
        if !self.multilingual {
            return Ok(vec![self.tokens.start_of_transcript]);
        }
        let language = match &self.options.language {
            Some(code) => self
                .tokens
                .language(code)
                .ok_or_else(|| AsrError::InvalidOption(format!("the model knows no language {code:?}")))?,
            None => {
                let token = detect_language(engine, encoded)?;
                let code = token.trim_start_matches("<|").trim_end_matches("|>");
                self.tokens
                    .language(code)
                    .ok_or_else(|| AsrError::engine(format!("unknown language {token}")))?
            }
        };
        Ok(vec![self.tokens.start_of_transcript, language, self.tokens.transcribe])
    }
}

fn load_engine(
    dir: &Path,
    compute_type: ComputeType,
    replicas: usize,
    threads: usize,
) -> Result<Whisper, AsrError> {
    let config = sys::Config {
        device: Device::CPU,
        compute_type: match compute_type {
            ComputeType::Int8 => sys::ComputeType::INT8,
            ComputeType::Float32 => sys::ComputeType::FLOAT32,
            ComputeType::AsSaved => sys::ComputeType::DEFAULT,
        },
        // On the CPU, repeating device 0 gives one more replica, each with its own threads.
        device_indices: vec![0; replicas],
        num_threads_per_replica: threads.max(1),
        ..sys::Config::default()
    };
    Whisper::new(dir, config)
        .map_err(|error| AsrError::ModelFile { path: dir.into(), message: error.to_string() })
}
