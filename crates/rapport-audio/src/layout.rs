//! Decides whether a multi-channel recording holds one party per channel or one mix.
//!
//! Dialers and call recorders often write the rep on one channel and the customer on the other;
//! then each channel is transcribed on its own and its speaker is known. Other recorders write
//! ordinary stereo: the same conversation on both sides. Only the audio tells them apart.
//!
//! **The rule.** The channels (at 16 kHz) are cut into 30 ms frames and each frame's energy is
//! measured per channel. A frame is *active* when its loudest channel is above -60 dBFS and
//! within 40 dB of the loudest frame of the whole recording. An active frame is *separated*
//! when its loudest channel is at least 10 dB louder than every other channel: one party talks,
//! and the other channel carries only silence or crosstalk (leakage of the other voice is
//! typically 20 dB or more down). The recording is [`ChannelLayout::PerSpeaker`] when at least
//! half of the active frames are separated **and** at least two channels are each the loudest in
//! at least 10% of the separated frames (both parties speak). Otherwise — nearly identical
//! channels, a panned mix, one silent channel, a single channel — it is
//! [`ChannelLayout::Mono`] and the caller transcribes [`crate::downmix`] of the channels.

use crate::AudioError;

/// Samples per analysis frame at 16 kHz: 30 ms, short enough that turns rarely share a frame.
pub const FRAME_SAMPLES: usize = 480;

const ACTIVE_FLOOR_DB: f32 = -60.0;
const ACTIVE_RANGE_DB: f32 = 40.0;
const SEPARATION_DB: f32 = 10.0;
const MIN_SEPARATED_SHARE: f64 = 0.5;
const MIN_PARTY_SHARE: f64 = 0.1;

/// How a recording's channels map to speakers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelLayout {
    /// One party per channel; `rep_channel` (from configuration) is the sales rep, every other
    /// channel a customer.
    PerSpeaker { rep_channel: usize },
    /// One stream for everyone: speakers unknown until diarization.
    Mono,
}

/// The measurements behind a [`ChannelLayout`] decision, for logs and tests.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelSeparation {
    /// 30 ms frames in which someone is audible.
    pub active_frames: usize,
    /// Share of active frames in which one channel is at least 10 dB louder than the others.
    pub separated_share: f64,
    /// For each channel, its share of the separated frames in which it was the loud one.
    pub dominant_share: Vec<f64>,
}

/// Energy of each 30 ms frame in dBFS (RMS relative to a full-scale sine's peak of 1.0); an
/// incomplete last frame is measured on what it has. Silence is -120 dB rather than -inf.
pub fn frame_energy_db(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(FRAME_SAMPLES)
        .map(|frame| {
            let mean_square =
                frame.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / frame.len() as f64;
            (10.0 * mean_square.max(1e-12).log10()) as f32
        })
        .collect()
}

/// Measures how separated the channels are (see the module docs for the rule).
pub fn channel_separation(channels: &[Vec<f32>]) -> ChannelSeparation {
    let energies: Vec<Vec<f32>> = channels.iter().map(|c| frame_energy_db(c)).collect();
    let frames = energies.iter().map(Vec::len).min().unwrap_or(0);
    let loudest_overall =
        energies.iter().flat_map(|e| e.iter().take(frames)).copied().fold(f32::NEG_INFINITY, f32::max);
    let threshold = ACTIVE_FLOOR_DB.max(loudest_overall - ACTIVE_RANGE_DB);
    let mut active_frames = 0;
    let mut dominant = vec![0usize; channels.len()];
    for frame in 0..frames {
        let mut levels: Vec<(f32, usize)> =
            energies.iter().enumerate().map(|(channel, e)| (e[frame], channel)).collect();
        levels.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (loudest, channel) = levels[0];
        if loudest < threshold {
            continue;
        }
        active_frames += 1;
        let runner_up = levels.get(1).map_or(f32::NEG_INFINITY, |level| level.0);
        if loudest - runner_up >= SEPARATION_DB {
            dominant[channel] += 1;
        }
    }
    let separated: usize = dominant.iter().sum();
    let share = |count: usize, of: usize| if of == 0 { 0.0 } else { count as f64 / of as f64 };
    ChannelSeparation {
        active_frames,
        separated_share: share(separated, active_frames),
        dominant_share: dominant.iter().map(|&count| share(count, separated)).collect(),
    }
}

/// Decides the layout of 16 kHz channels, with `rep_channel` the configured rep's channel. A
/// single channel is always `Mono`; a `rep_channel` that the recording does not have is an
/// error only when the recording has more than one channel.
pub fn detect_layout(channels: &[Vec<f32>], rep_channel: usize) -> Result<ChannelLayout, AudioError> {
    if channels.len() < 2 {
        return Ok(ChannelLayout::Mono);
    }
    if rep_channel >= channels.len() {
        return Err(AudioError::NoSuchChannel { rep_channel, channels: channels.len() });
    }
    let separation = channel_separation(channels);
    let parties = separation.dominant_share.iter().filter(|&&share| share >= MIN_PARTY_SHARE).count();
    Ok(if separation.separated_share >= MIN_SEPARATED_SHARE && parties >= 2 {
        ChannelLayout::PerSpeaker { rep_channel }
    } else {
        ChannelLayout::Mono
    })
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
