//! Shared fixtures: the test model, the speech data, WAV reading and resampling.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rapport_asr::{Segment, Transcriber, TranscriberOptions};

pub const RATE: u32 = 16_000;

/// The tiny.en model directory: `RAPPORT_TEST_MODEL_DIR`, or where `scripts/test-models.sh`
/// puts it. A missing model fails the test: skipping would hide that nothing was checked.
pub fn model_dir() -> PathBuf {
    let dir = match std::env::var_os("RAPPORT_TEST_MODEL_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target/test-models/tiny.en"),
    };
    assert!(
        dir.join("model.bin").is_file() && dir.join("preprocessor_config.json").is_file(),
        "no test model at {}: run scripts/test-models.sh (or set RAPPORT_TEST_MODEL_DIR)",
        dir.display()
    );
    dir
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn speech_dir() -> PathBuf {
    workspace_root().join("../shared/data/speech")
}

/// Threads per transcription: two, the CI machines' core count, so timings printed by the
/// tests are comparable between runs.
pub const THREADS: usize = 2;

/// The default transcriber (beam 5, int8, VAD on), loaded once for every test.
pub fn transcriber() -> &'static Transcriber {
    static TRANSCRIBER: OnceLock<Transcriber> = OnceLock::new();
    TRANSCRIBER.get_or_init(|| load(TranscriberOptions::default()))
}

pub fn load(options: TranscriberOptions) -> Transcriber {
    Transcriber::load(&model_dir(), &TranscriberOptions { threads: THREADS, ..options })
        .expect("loading tiny.en")
}

/// A WAV file's first channel as `f32` at 16 kHz.
pub fn read_wav(path: &Path) -> Vec<f32> {
    let mut reader = hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
    let all: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Int => reader.samples::<i32>().map(|s| s.unwrap() as f32 * scale).collect(),
        hound::SampleFormat::Float => reader.samples::<f32>().map(Result::unwrap).collect(),
    };
    let mono: Vec<f32> = all.chunks(spec.channels as usize).map(|frame| frame[0]).collect();
    resample(&mono, spec.sample_rate, RATE)
}

/// Band-limited resampling by windowed sinc (Hann, 32 taps a side), enough for tests; the
/// product's resampler lives in `rapport-audio`.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to {
        return samples.to_vec();
    }
    const TAPS: i64 = 32;
    let ratio = from as f64 / to as f64;
    // Cut below the lower Nyquist frequency so nothing folds back.
    let cutoff = 0.95 * (to.min(from) as f64 / from as f64);
    let out_len = (samples.len() as f64 / ratio) as usize;
    (0..out_len)
        .map(|i| {
            let centre = i as f64 * ratio;
            let first = centre.floor() as i64 - TAPS + 1;
            let mut sum = 0.0;
            for k in first..first + 2 * TAPS {
                let Some(sample) = usize::try_from(k).ok().and_then(|k| samples.get(k)) else { continue };
                let x = k as f64 - centre;
                let sinc = if x == 0.0 {
                    1.0
                } else {
                    (std::f64::consts::PI * cutoff * x).sin() / (std::f64::consts::PI * cutoff * x)
                };
                let window = 0.5 + 0.5 * (std::f64::consts::PI * x / TAPS as f64).cos();
                sum += *sample as f64 * cutoff * sinc * window;
            }
            sum as f32
        })
        .collect()
}

pub fn text_of(segments: &[Segment]) -> String {
    segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// Segments are ordered, do not overlap, and lie within the audio.
pub fn assert_times_sane(segments: &[Segment], duration: f64) {
    let mut last_end = 0.0;
    for segment in segments {
        assert!(
            segment.start >= last_end - 1e-9 && segment.end > segment.start && segment.end <= duration + 1e-9,
            "segment [{:.2}, {:.2}] after {last_end:.2} in {duration:.2} s: {segments:#?}",
            segment.start,
            segment.end
        );
        last_end = segment.end;
    }
}

/// LJSpeech clips: (id, samples at 16 kHz, normalised reference text).
pub fn ljspeech() -> Vec<(String, Vec<f32>, String)> {
    let dir = speech_dir().join("ljspeech");
    let metadata = std::fs::read_to_string(dir.join("metadata.csv")).expect("ljspeech metadata.csv");
    metadata
        .lines()
        .filter_map(|line| {
            let mut columns = line.split('|');
            let (id, _raw, normalised) = (columns.next()?, columns.next()?, columns.next()?);
            Some((id.to_owned(), read_wav(&dir.join(format!("{id}.wav"))), normalised.to_owned()))
        })
        .collect()
}

pub fn jfk() -> (Vec<f32>, String) {
    let dir = speech_dir().join("jfk");
    let reference = std::fs::read_to_string(dir.join("reference.tsv")).expect("jfk reference.tsv");
    let text = reference.lines().next().and_then(|l| l.split('\t').nth(1)).expect("jfk reference line");
    (read_wav(&dir.join("jfk.wav")), text.to_owned())
}
