//! Transcribes WAV files and prints segments and timing: a manual check and the Rapport
//! side of `bench/asr`.
//!
//! `cargo run --release -p rapport-asr --example transcribe -- MODEL_DIR [--threads N]
//! [--beam N] [--no-vad] [--words] [--json] FILE.wav…` — every channel of a file is
//! transcribed, in parallel when there are several.

use std::path::PathBuf;
use std::time::Instant;

use rapport_asr::{Segment, Transcriber, TranscriberOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let model = PathBuf::from(args.next().ok_or("usage: transcribe MODEL_DIR [options] FILE.wav…")?);
    let mut options = TranscriberOptions::default();
    let (mut files, mut json) = (Vec::new(), false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => options.threads = args.next().ok_or("--threads N")?.parse()?,
            "--beam" => options.beam_size = args.next().ok_or("--beam N")?.parse()?,
            "--no-vad" => options.vad = None,
            "--words" => options.word_timestamps = true,
            "--float32" => options.compute_type = rapport_asr::ComputeType::Float32,
            "--json" => json = true,
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let loading = Instant::now();
    let transcriber = Transcriber::load(&model, &options)?;
    eprintln!("loaded in {:.2} s", loading.elapsed().as_secs_f64());
    for file in files {
        let channels = read_wav(&file, transcriber.sample_rate())?;
        let started = Instant::now();
        let transcripts = transcriber.transcribe_channels(&channels, &mut |_| {})?;
        let seconds = started.elapsed().as_secs_f64();
        let audio = channels[0].len() as f64 / transcriber.sample_rate() as f64;
        let texts: Vec<String> = transcripts.iter().map(|segments| text_of(segments)).collect();
        if json {
            let line = serde_json::json!({"file": file, "seconds": seconds, "audio_seconds": audio, "channels": texts});
            println!("{line}");
            continue;
        }
        for (channel, segments) in transcripts.iter().enumerate() {
            for s in segments {
                println!(
                    "{channel} [{:7.2} → {:7.2}] {} (logprob {:.2}, t {})",
                    s.start, s.end, s.text, s.avg_logprob, s.temperature
                );
                for w in &s.words {
                    println!("      {:7.2} {:7.2} {} ({:.2})", w.start, w.end, w.text, w.probability);
                }
            }
        }
        eprintln!(
            "{}: {audio:.1} s × {} channels in {seconds:.2} s (RTF {:.3})",
            file.display(),
            channels.len(),
            seconds / audio
        );
    }
    Ok(())
}

fn text_of(segments: &[Segment]) -> String {
    segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// Every channel of a 16-bit or float WAV at the model's rate (linear resampling: enough
/// for a manual check; `rapport-audio` resamples properly, and the benchmark feeds 16 kHz).
fn read_wav(path: &PathBuf, rate: u32) -> Result<Vec<Vec<f32>>, Box<dyn std::error::Error>> {
    let mut reader = hound::WavReader::open(path)?;
    let spec = reader.spec();
    let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
    let all: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Int => {
            reader.samples::<i32>().map(|s| s.map(|s| s as f32 * scale)).collect::<Result<_, _>>()?
        }
        hound::SampleFormat::Float => reader.samples::<f32>().collect::<Result<_, _>>()?,
    };
    let count = spec.channels as usize;
    let ratio = spec.sample_rate as f64 / rate as f64;
    Ok((0..count)
        .map(|channel| {
            let mono: Vec<f32> = all.iter().skip(channel).step_by(count).copied().collect();
            let len = (mono.len() as f64 / ratio) as usize;
            (0..len)
                .map(|i| {
                    let at = i as f64 * ratio;
                    let (k, frac) = (at as usize, (at - at.floor()) as f32);
                    mono[k] * (1.0 - frac) + mono.get(k + 1).copied().unwrap_or(0.0) * frac
                })
                .collect()
        })
        .collect())
}
