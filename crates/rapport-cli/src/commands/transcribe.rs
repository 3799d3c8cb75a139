//! `rapport transcribe FILE`: a recording in, a transcript out, on this machine alone (no
//! database, no media store), with progress bars on a terminal.

use std::path::Path;

use anyhow::Context;
use indicatif::ProgressBar;
use rapport_app::speech::{transcribe_audio, ChannelRoles, SpeakerNames, SpeechModel};

use crate::cli::TranscribeArgs;
use crate::cli_calls::TranscriptFormat;
use crate::config::Config;

pub fn transcribe(config: &Config, args: TranscribeArgs) -> anyhow::Result<()> {
    let roles = match args.channels.as_deref() {
        Some(text) => ChannelRoles::parse(text)?,
        None => ChannelRoles { rep_channel: config.rep_channel, per_channel: None },
    };
    let model = speech_model(config, args.model.as_deref(), args.threads);

    let bar = progress_bar("decoding");
    let audio = rapport_audio::decode_file(&args.file, &mut |share| set_share(&bar, share));
    finish(bar);
    let audio = audio?;

    let transcriber = load(&model)?;
    let bar = progress_bar("transcribing");
    let transcript = transcribe_audio(&transcriber, &audio, roles, &SpeakerNames::default(), &mut |share| {
        set_share(&bar, share);
    });
    finish(bar);
    let transcript = transcript.with_context(|| format!("transcribing {}", args.file.display()))?;

    let text = match args.format {
        TranscriptFormat::Text => rapport_transcript::to_text(&transcript),
        TranscriptFormat::Json => rapport_transcript::to_json(&transcript),
        TranscriptFormat::Vtt => rapport_transcript::to_webvtt(&transcript),
        TranscriptFormat::Srt => rapport_transcript::to_srt(&transcript),
    };
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    Ok(())
}

/// The configured model (or `--model`), with the configured thread count (or `--threads`).
pub fn speech_model(config: &Config, model: Option<&str>, threads: Option<usize>) -> SpeechModel {
    let source = rapport_app::speech::model_source(model.unwrap_or(&config.model), &config.model_cache_dir());
    let options = rapport_asr::TranscriberOptions {
        threads: threads.unwrap_or(config.threads),
        ..rapport_asr::TranscriberOptions::default()
    };
    SpeechModel::new(source, options)
}

/// Loads the model now, with a download bar on a terminal when it has to be fetched.
pub fn load(model: &SpeechModel) -> anyhow::Result<std::sync::Arc<rapport_asr::Transcriber>> {
    let bar = progress_bar("downloading the model");
    let loaded = model.transcriber(&mut |done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    });
    finish(bar);
    loaded.with_context(|| format!("loading the speech model {}", describe(model)))
}

fn describe(model: &SpeechModel) -> String {
    match model.source() {
        rapport_asr::ModelSource::Local(dir) => display(dir),
        rapport_asr::ModelSource::HuggingFace { id, .. } => id.clone(),
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// A bar from 0 to 1000 (‰ of the work) on standard error, only on a terminal.
fn progress_bar(message: &'static str) -> Option<ProgressBar> {
    let bar = crate::progress::terminal_bar(1000, "{msg:22} {bar:40} {percent:>3}% ({eta})")?;
    bar.set_message(message);
    Some(bar)
}

fn set_share(bar: &Option<ProgressBar>, share: f64) {
    if let Some(bar) = bar {
        bar.set_position((share.clamp(0.0, 1.0) * 1000.0) as u64);
    }
}

fn finish(bar: Option<ProgressBar>) {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
