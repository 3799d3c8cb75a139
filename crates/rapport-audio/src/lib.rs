//! Audio decoding for calls: any supported file in, one 16 kHz f32 stream per channel out.
//!
//! [`decode_file`] and [`decode_bytes`] read WAV (PCM, G.711 µ-law/A-law and IMA/Microsoft ADPCM,
//! as telephone systems write them), MP3, FLAC, Ogg/Vorbis and M4A/MP4 (AAC) with
//! symphonia and resample every channel to [`TARGET_RATE`] with a band-limited FFT resampler
//! (rubato), keeping the channels apart: call recorders often put the rep on one channel and the
//! customer on the other, and each is then transcribed on its own. [`detect_layout`] decides from
//! the audio whether a multi-channel file really is one party per channel or an ordinary stereo
//! mix (then [`downmix`] gives the one stream to transcribe). Failures are [`AudioError`]s whose
//! message starts with the file name and names the problem.
//!
//! **Known limits.** Opus (WebM, Ogg/Opus), AIFF, WMA and AMR are refused with a message that
//! says to convert the file. symphonia does not apply an M4A's edit list, so AAC's encoder
//! priming (1024 samples, about 23 ms at 44.1 kHz) stays at the start, as do the delay and
//! padding of an MP3 without a LAME tag; timestamps of such files are that much late.
//!
//! **Invariants:** no storage, no HTTP, no speech recognition (voice-activity detection belongs to
//! `rapport-asr`). Decoding streams the file: at most one resampling chunk of original-rate audio
//! is held at a time, so the memory used is that of the 16 kHz result.

mod collect;
mod decode;
mod error;
mod layout;
mod resample;
mod sniff;

pub use decode::{decode_bytes, decode_file};
pub use error::AudioError;
pub use layout::{
    channel_separation, detect_layout, frame_energy_db, ChannelLayout, ChannelSeparation, FRAME_SAMPLES,
};
pub use resample::TARGET_RATE;

/// A decoded recording.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedAudio {
    /// The file's own sample rate, before resampling.
    pub sample_rate: u32,
    /// One `Vec` per channel, in the file's channel order, resampled to [`TARGET_RATE`]; all of
    /// the same length, `round(duration_s * 16000)`, with samples in -1.0..=1.0.
    pub channels: Vec<Vec<f32>>,
    /// Length of the recording in seconds, from the frames actually decoded.
    pub duration_s: f64,
    /// The container: "wav", "mp3", "flac", "ogg", "m4a", "mp4" (the audio of a video
    /// recording) or "aac" (a bare ADTS stream).
    pub format: String,
}

impl DecodedAudio {
    /// Frames per channel at 16 kHz.
    pub fn frames(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }
}

/// The average of the channels, frame by frame: one stream for a mono transcription. Averaging
/// (rather than summing) cannot clip; channels of unequal length are averaged over the longest,
/// a missing sample counting as silence.
pub fn downmix(channels: &[Vec<f32>]) -> Vec<f32> {
    match channels {
        [] => Vec::new(),
        [only] => only.clone(),
        _ => {
            let frames = channels.iter().map(Vec::len).max().unwrap_or(0);
            let mut mix = vec![0.0f32; frames];
            for channel in channels {
                for (out, sample) in mix.iter_mut().zip(channel) {
                    *out += sample;
                }
            }
            let scale = 1.0 / channels.len() as f32;
            mix.iter_mut().for_each(|sample| *sample *= scale);
            mix
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[]), Vec::<f32>::new());
        assert_eq!(downmix(&[vec![0.5, -0.5]]), vec![0.5, -0.5]);
        assert_eq!(downmix(&[vec![1.0, 0.5, 0.25], vec![0.0, 0.5]]), vec![0.5, 0.5, 0.125]);
        assert_eq!(downmix(&[vec![1.0, -1.0], vec![1.0, -1.0]]), vec![1.0, -1.0]);
    }
}
