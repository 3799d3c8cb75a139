//! Whisper's log-mel spectrogram: the features the encoder reads, computed exactly as
//! Whisper's Python feature extractor does (Hann window, centred STFT with reflect padding,
//! Slaney mel filters, log10, clamp to 8 below the maximum, scale to about [-1, 1]).

use std::path::Path;

use realfft::RealFftPlanner;
use serde::Deserialize;

use crate::AsrError;

/// The feature extractor's parameters, as `preprocessor_config.json` stores them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeatureConfig {
    /// Mel bins: 80 for every Whisper model except large-v3 (128).
    #[serde(rename = "feature_size")]
    pub mel_bins: usize,
    pub sampling_rate: u32,
    pub hop_length: usize,
    pub n_fft: usize,
    /// Seconds of audio the encoder sees at once.
    pub chunk_length: usize,
}

impl FeatureConfig {
    /// The values every 80-bin Whisper model was trained with.
    pub fn whisper() -> Self {
        FeatureConfig { mel_bins: 80, sampling_rate: 16_000, hop_length: 160, n_fft: 400, chunk_length: 30 }
    }

    pub fn load(path: &Path) -> Result<Self, AsrError> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| AsrError::ModelFile { path: path.into(), message: error.to_string() })?;
        serde_json::from_str(&text)
            .map_err(|error| AsrError::ModelFile { path: path.into(), message: error.to_string() })
    }

    /// Frames in one encoder window (3000 for 30 s at a 10 ms hop).
    pub fn frames_per_window(&self) -> usize {
        self.chunk_length * self.sampling_rate as usize / self.hop_length
    }

    /// Seconds between two frames.
    pub fn seconds_per_frame(&self) -> f64 {
        self.hop_length as f64 / self.sampling_rate as f64
    }
}

/// A log-mel spectrogram, stored bin by bin (`bins × frames`, row-major) like Whisper's
/// arrays, so a window is a copy of one contiguous run per bin.
#[derive(Debug, Clone, PartialEq)]
pub struct LogMel {
    pub bins: usize,
    pub frames: usize,
    pub data: Vec<f32>,
}

impl LogMel {
    pub fn value(&self, bin: usize, frame: usize) -> f32 {
        self.data[bin * self.frames + frame]
    }

    /// `length` frames from `start`, zero-padded to `window_frames` as Whisper pads the last
    /// window (zero is the padding value of the normalised features, not of the audio).
    pub fn window(&self, start: usize, length: usize, window_frames: usize) -> Vec<f32> {
        let length = length.min(window_frames).min(self.frames.saturating_sub(start));
        let mut out = vec![0.0; self.bins * window_frames];
        for bin in 0..self.bins {
            let from = bin * self.frames + start;
            out[bin * window_frames..bin * window_frames + length]
                .copy_from_slice(&self.data[from..from + length]);
        }
        out
    }
}

/// Slaney-style mel filters as librosa builds them (`htk=False, norm="slaney"`), the filters
/// Whisper was trained with; one row of `n_fft / 2 + 1` weights per bin.
pub fn mel_filters(config: &FeatureConfig) -> Vec<Vec<f32>> {
    let bins = config.mel_bins;
    let fft_bins = config.n_fft / 2 + 1;
    let nyquist = config.sampling_rate as f64 / 2.0;
    let (min_mel, max_mel) = (hz_to_mel(0.0), hz_to_mel(nyquist));
    let centres: Vec<f64> = (0..bins + 2)
        .map(|i| mel_to_hz(min_mel + (max_mel - min_mel) * i as f64 / (bins + 1) as f64))
        .collect();
    let fft_frequency = |k: usize| k as f64 * config.sampling_rate as f64 / config.n_fft as f64;
    (0..bins)
        .map(|bin| {
            let (low, centre, high) = (centres[bin], centres[bin + 1], centres[bin + 2]);
            let norm = 2.0 / (high - low);
            (0..fft_bins)
                .map(|k| {
                    let f = fft_frequency(k);
                    let rising = (f - low) / (centre - low);
                    let falling = (high - f) / (high - centre);
                    (rising.min(falling).max(0.0) * norm) as f32
                })
                .collect()
        })
        .collect()
}

fn hz_to_mel(hz: f64) -> f64 {
    const LOG_START_HZ: f64 = 1000.0;
    let linear_step = 200.0 / 3.0;
    if hz < LOG_START_HZ {
        hz / linear_step
    } else {
        LOG_START_HZ / linear_step + (hz / LOG_START_HZ).ln() / (6.4f64.ln() / 27.0)
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    const LOG_START_HZ: f64 = 1000.0;
    let linear_step = 200.0 / 3.0;
    let log_start_mel = LOG_START_HZ / linear_step;
    if mel < log_start_mel {
        mel * linear_step
    } else {
        LOG_START_HZ * ((mel - log_start_mel) * (6.4f64.ln() / 27.0)).exp()
    }
}

/// The normalised log-mel spectrogram of `samples` (mono, at `config.sampling_rate`): one
/// frame per hop, the last STFT frame dropped as Whisper does.
pub fn log_mel_spectrogram(samples: &[f32], config: &FeatureConfig) -> LogMel {
    let (n_fft, hop) = (config.n_fft, config.hop_length);
    let frames = samples.len() / hop;
    let filters = sparse_filters(&mel_filters(config));
    let padded = reflect_pad(samples, n_fft / 2);
    let window: Vec<f32> = (0..n_fft)
        .map(|n| (0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / n_fft as f64).cos()) as f32)
        .collect();
    let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n_fft);
    let mut input = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut scratch = fft.make_scratch_vec();
    let mut power = vec![0.0f32; n_fft / 2 + 1];
    let mut data = vec![0.0f32; config.mel_bins * frames];
    for frame in 0..frames {
        let start = frame * hop;
        for (slot, (sample, weight)) in input.iter_mut().zip(padded[start..start + n_fft].iter().zip(&window))
        {
            *slot = sample * weight;
        }
        fft.process_with_scratch(&mut input, &mut spectrum, &mut scratch)
            .expect("buffer sizes come from the plan");
        for (p, c) in power.iter_mut().zip(&spectrum) {
            *p = c.norm_sqr();
        }
        for (bin, (first, weights)) in filters.iter().enumerate() {
            let energy: f32 = weights.iter().zip(&power[*first..]).map(|(w, p)| w * p).sum();
            data[bin * frames + frame] = energy.max(1e-10).log10();
        }
    }
    // Whisper's dynamic-range clamp is relative to the loudest value of the whole input.
    let max = data.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    for value in &mut data {
        *value = (value.max(max - 8.0) + 4.0) / 4.0;
    }
    LogMel { bins: config.mel_bins, frames, data }
}

/// Each filter as (first non-zero FFT bin, its run of weights): a filter covers a few bins
/// only, so the mel product costs a tenth of the dense one.
fn sparse_filters(filters: &[Vec<f32>]) -> Vec<(usize, Vec<f32>)> {
    filters
        .iter()
        .map(|row| {
            let first = row.iter().position(|w| *w > 0.0).unwrap_or(0);
            let last = row.iter().rposition(|w| *w > 0.0).unwrap_or(0);
            (first, row[first..=last.max(first)].to_vec())
        })
        .collect()
}

/// numpy's `pad(mode="reflect")`, which centred STFT frames use; falls back to zeros where
/// the input is too short to reflect.
fn reflect_pad(samples: &[f32], pad: usize) -> Vec<f32> {
    let n = samples.len();
    let mut out = Vec::with_capacity(n + 2 * pad);
    let at = |i: usize| if n > pad { samples[i] } else { 0.0 };
    out.extend((1..=pad).rev().map(at));
    out.extend_from_slice(samples);
    out.extend((0..pad).map(|i| if n > pad { samples[n - 2 - i] } else { 0.0 }));
    out
}

#[cfg(test)]
#[path = "mel_tests.rs"]
mod tests;
