//! From decoded audio to a transcript: which channel is whose, the speech model loaded once,
//! and timed segments turned into speaker turns. Shared by `rapport transcribe` (no
//! database) and the worker, so both attribute speakers the same way.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rapport_asr::{AsrError, ModelSource, Segment, Transcriber, TranscriberOptions};
use rapport_audio::{AudioError, ChannelLayout, DecodedAudio};
use rapport_transcript::{Role, Transcript, Utterance, Word};

use crate::AppError;

/// The model used when none is configured: small enough for any CPU, English only.
pub const DEFAULT_MODEL: &str = "Systran/faster-whisper-tiny.en";

/// Two segments of one speaker closer than this are one turn: Whisper cuts a turn at
/// sentence ends, but a reader (and later analytics) wants who-spoke-when.
const MAX_TURN_GAP_S: f64 = 1.5;

/// How the recording's channels map to parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelRoles {
    /// The channel (0-based) the rep is on; every other channel is a customer.
    pub rep_channel: u32,
    /// `Some(true)`: the caller says one party per channel; `Some(false)`: one mixed stream;
    /// `None`: decide from the audio ([`rapport_audio::detect_layout`]).
    pub per_channel: Option<bool>,
}

impl ChannelRoles {
    /// Parses `--channels rep,customer`: one role per channel in order, exactly one `rep`.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let roles: Vec<&str> = text.split(',').map(str::trim).collect();
        let invalid = |message: &str| AppError::invalid("channels", format!("`{text}`: {message}"));
        if let Some(bad) = roles.iter().find(|role| !matches!(**role, "rep" | "customer")) {
            return Err(invalid(&format!("`{bad}` is not a role (rep or customer, one per channel)")));
        }
        match roles.iter().filter(|role| **role == "rep").count() {
            1 => {}
            _ => return Err(invalid("name exactly one channel `rep`")),
        }
        let rep_channel = roles.iter().position(|role| *role == "rep").unwrap_or(0) as u32;
        Ok(ChannelRoles { rep_channel, per_channel: Some(true) })
    }
}

/// Names to give the two sides in the transcript (the rep user's, the contact's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpeakerNames {
    pub rep: Option<String>,
    pub customer: Option<String>,
}

/// Why audio could not be turned into a transcript.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error(transparent)]
    Asr(#[from] AsrError),
}

/// A model named in configuration: an existing folder or a path-like text is a local model
/// directory, anything else a Hugging Face id cached under `cache_dir`.
pub fn model_source(model: &str, cache_dir: &Path) -> ModelSource {
    let path = PathBuf::from(model);
    let path_like = model.starts_with(['/', '.', '~']) || path.is_dir();
    if path_like {
        ModelSource::Local(path)
    } else {
        ModelSource::HuggingFace { id: model.to_owned(), cache_dir: cache_dir.to_owned() }
    }
}

/// A speech model, resolved (downloaded when needed) and loaded on first use and then
/// shared by every worker thread of the process. A failed load is not remembered, so a
/// later job tries again (after the model was downloaded or the config fixed).
#[derive(Debug)]
pub struct SpeechModel {
    source: ModelSource,
    options: TranscriberOptions,
    loaded: Mutex<Option<Arc<Transcriber>>>,
}

impl SpeechModel {
    pub fn new(source: ModelSource, options: TranscriberOptions) -> Self {
        SpeechModel { source, options, loaded: Mutex::new(None) }
    }

    pub fn source(&self) -> &ModelSource {
        &self.source
    }

    /// The loaded transcriber; `download` gets (bytes done, bytes total) while a model is
    /// fetched. Threads asking at once wait for the one load.
    pub fn transcriber(&self, download: &mut dyn FnMut(u64, u64)) -> Result<Arc<Transcriber>, AsrError> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(transcriber) = loaded.as_ref() {
            return Ok(transcriber.clone());
        }
        let dir = rapport_asr::resolve_model(&self.source, download)?;
        let transcriber = Arc::new(Transcriber::load(&dir, &self.options)?);
        *loaded = Some(transcriber.clone());
        Ok(transcriber)
    }
}

/// Transcribes a decoded recording: each channel on its own when it holds one party (its
/// speaker and role then known), else the mix with speaker unknown (diarization will fill
/// that seam). `progress` gets the share of the audio done.
pub fn transcribe_audio(
    transcriber: &Transcriber,
    audio: &DecodedAudio,
    roles: ChannelRoles,
    names: &SpeakerNames,
    progress: &mut dyn FnMut(f64),
) -> Result<Transcript, SpeechError> {
    let rep_channel = roles.rep_channel as usize;
    let layout = match roles.per_channel {
        Some(true) if audio.channels.len() > 1 => {
            if rep_channel >= audio.channels.len() {
                let channels = audio.channels.len();
                return Err(AudioError::NoSuchChannel { rep_channel, channels }.into());
            }
            ChannelLayout::PerSpeaker { rep_channel }
        }
        Some(_) => ChannelLayout::Mono,
        None => rapport_audio::detect_layout(&audio.channels, rep_channel)?,
    };
    let utterances = match layout {
        ChannelLayout::PerSpeaker { rep_channel } => {
            let per_channel = transcriber.transcribe_channels(&audio.channels, progress)?;
            let customers = audio.channels.len() - 1;
            let turns = per_channel.iter().enumerate().map(|(channel, segments)| {
                let (speaker, role) = channel_speaker(channel, rep_channel, customers, names);
                turns(segments, Some(channel as u32), Some(&speaker), role)
            });
            merge_by_time(turns.collect())
        }
        ChannelLayout::Mono => {
            let mix = rapport_audio::downmix(&audio.channels);
            let segments = transcriber.transcribe(&mix, progress)?;
            turns(&segments, None, None, Role::Unknown)
        }
    };
    Ok(Transcript { utterances, duration_s: Some(audio.duration_s), source_format: None })
}

fn channel_speaker(
    channel: usize,
    rep_channel: usize,
    customers: usize,
    names: &SpeakerNames,
) -> (String, Role) {
    if channel == rep_channel {
        return (names.rep.clone().unwrap_or_else(|| "Rep".to_owned()), Role::Rep);
    }
    let name = match (&names.customer, customers) {
        (Some(name), 1) => name.clone(),
        (None, 1) => "Customer".to_owned(),
        _ => format!("Customer (channel {channel})"),
    };
    (name, Role::Customer)
}

/// One channel's segments as turns: empty segments dropped, close ones of the same speaker
/// joined.
pub(crate) fn turns(
    segments: &[Segment],
    channel: Option<u32>,
    speaker: Option<&str>,
    role: Role,
) -> Vec<Utterance> {
    let mut utterances: Vec<Utterance> = Vec::new();
    for segment in segments {
        let text = segment.text.trim();
        if text.is_empty() {
            continue;
        }
        let words = segment.words.iter().map(|word| Word {
            text: word.text.trim().to_owned(),
            start: word.start,
            end: word.end.max(word.start),
            confidence: Some(word.probability.clamp(0.0, 1.0) as f32),
        });
        let mut utterance = Utterance::new(segment.start, segment.end.max(segment.start), text);
        utterance.channel = channel;
        utterance.speaker = speaker.map(str::to_owned);
        utterance.role = role;
        utterance.words = words.filter(|word| !word.text.is_empty()).collect();
        utterances.push(utterance);
    }
    join_close_turns(utterances)
}

/// Every channel's turns in one timeline, by start time (the rep first on a tie), with a
/// speaker's turns that nobody interrupted joined into one.
pub(crate) fn merge_by_time(channels: Vec<Vec<Utterance>>) -> Vec<Utterance> {
    let mut all: Vec<Utterance> = channels.into_iter().flatten().collect();
    all.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.channel.cmp(&b.channel)));
    join_close_turns(all)
}

fn join_close_turns(utterances: Vec<Utterance>) -> Vec<Utterance> {
    let mut joined: Vec<Utterance> = Vec::with_capacity(utterances.len());
    for utterance in utterances {
        match joined.last_mut() {
            // Without a speaker there is no telling whether the next segment is someone else.
            Some(last)
                if last.speaker.is_some()
                    && last.channel == utterance.channel
                    && last.speaker == utterance.speaker
                    && utterance.start - last.end <= MAX_TURN_GAP_S =>
            {
                last.text = format!("{} {}", last.text, utterance.text);
                last.end = last.end.max(utterance.end);
                last.words.extend(utterance.words);
            }
            _ => joined.push(utterance),
        }
    }
    joined
}

#[cfg(test)]
#[path = "speech_tests.rs"]
mod tests;
