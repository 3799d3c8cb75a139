//! Helpers shared by the integration tests: fixture paths, WAV writing, tone measurement.
#![allow(dead_code, reason = "each test binary uses a different subset of these helpers")]

use std::f64::consts::TAU;
use std::path::{Path, PathBuf};

use rapport_audio::{decode_file, AudioError, DecodedAudio};

/// A committed fixture under `tests/fixtures/` (made by `tests/fixtures/make.sh`).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The shared speech samples, beside the repository (`../shared/data/speech`).
pub fn speech(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/speech").join(relative)
}

pub fn decode(path: &Path) -> Result<DecodedAudio, AudioError> {
    decode_file(path, &mut |_| {})
}

pub fn sine(rate: u32, freq: f64, amplitude: f64, frames: usize) -> Vec<f32> {
    (0..frames).map(|i| (amplitude * (TAU * freq * i as f64 / f64::from(rate)).sin()) as f32).collect()
}

/// Writes channels as a WAV file with the given sample format (16/24-bit integer or 32-bit float).
pub fn write_wav(path: &Path, rate: u32, bits: u16, channels: &[Vec<f32>]) {
    let float = bits == 32;
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int },
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    let scale = f64::from((1u32 << (bits - 1)) - 1);
    for frame in 0..channels[0].len() {
        for channel in channels {
            if float {
                writer.write_sample(channel[frame]).unwrap();
            } else {
                writer.write_sample((f64::from(channel[frame]) * scale).round() as i32).unwrap();
            }
        }
    }
    writer.finalize().unwrap();
}

/// The amplitude of the `freq` component of 16 kHz `samples` (a single-bin DFT, Goertzel style),
/// measured over the middle 80% so edge effects do not count.
pub fn tone_amplitude(samples: &[f32], freq: f64) -> f64 {
    let middle = &samples[samples.len() / 10..samples.len() * 9 / 10];
    let (mut re, mut im) = (0.0, 0.0);
    for (i, &s) in middle.iter().enumerate() {
        let phase = TAU * freq * i as f64 / 16_000.0;
        re += f64::from(s) * phase.cos();
        im += f64::from(s) * phase.sin();
    }
    2.0 * (re * re + im * im).sqrt() / middle.len() as f64
}

/// RMS level in dBFS of 16 kHz `samples` between two times in seconds.
pub fn level_db(samples: &[f32], from_s: f64, to_s: f64) -> f64 {
    let window = &samples[(from_s * 16_000.0) as usize..(to_s * 16_000.0) as usize];
    let mean_square = window.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / window.len() as f64;
    10.0 * mean_square.max(1e-12).log10()
}

/// Asserts a decode failed and its message contains every one of `parts`.
pub fn assert_error(result: Result<DecodedAudio, AudioError>, parts: &[&str]) -> AudioError {
    let error = match result {
        Ok(audio) => panic!("expected an error containing {parts:?}, decoded {:.2} s", audio.duration_s),
        Err(error) => error,
    };
    let message = error.to_string();
    for part in parts {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
    error
}
