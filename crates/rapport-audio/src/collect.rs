//! Feeds decoded blocks to the resampler and keeps time: a packet that is lost (a gap in the
//! timestamps, as when the FLAC reader drops a frame that fails its checksum) or that cannot be
//! decoded becomes silence of its length, so every later word keeps its true time.

use symphonia::core::audio::{AudioBuffer, AudioBufferRef};

use crate::resample::StreamResampler;

/// Silence is pushed in blocks of this many frames, so a long gap needs no large buffer.
const SILENCE_BLOCK: u64 = 4096;

pub(crate) struct Collector {
    resampler: Option<StreamResampler>,
    planar: Option<AudioBuffer<f32>>,
    /// Frames of silence to insert before the next block (or at the end).
    silence_owed: u64,
    /// Where the next packet should start, when timestamps count frames of the track.
    next_ts: Option<u64>,
    timestamps_count_frames: bool,
    pub(crate) packets: usize,
    pub(crate) bad_packets: usize,
    pub(crate) first_bad_s: Option<f64>,
}

/// The rate or channel count changed mid-stream; the fields say from what to what.
#[derive(Debug)]
pub(crate) struct FormatChange {
    pub(crate) from: (u32, usize),
    pub(crate) to: (u32, usize),
}

impl Collector {
    /// `timestamps_count_frames`: the track's time base is one frame, so timestamps can reveal
    /// lost packets (true of every format here, but checked rather than assumed).
    pub(crate) fn new(timestamps_count_frames: bool) -> Self {
        Collector {
            resampler: None,
            planar: None,
            silence_owed: 0,
            next_ts: None,
            timestamps_count_frames,
            packets: 0,
            bad_packets: 0,
            first_bad_s: None,
        }
    }

    /// Original-rate frames so far, counting silence owed for lost packets.
    pub(crate) fn frames(&self) -> u64 {
        self.resampler.as_ref().map_or(0, StreamResampler::input_frames) + self.silence_owed
    }

    pub(crate) fn seconds(&self) -> f64 {
        self.resampler.as_ref().map_or(0.0, |r| self.frames() as f64 / f64::from(r.rate()))
    }

    /// Notes a packet of the track about to be decoded; a jump forward in its timestamp means
    /// the reader skipped damaged data, which is owed as silence.
    pub(crate) fn packet(&mut self, ts: u64, dur: u64) {
        self.packets += 1;
        if !self.timestamps_count_frames {
            return;
        }
        if let Some(expected) = self.next_ts.filter(|&expected| ts > expected) {
            self.lost(ts - expected);
        }
        self.next_ts = Some(ts + dur);
    }

    /// A packet of `dur` frames that could not be decoded.
    pub(crate) fn lost(&mut self, dur: u64) {
        self.bad_packets += 1;
        self.first_bad_s.get_or_insert(self.seconds());
        self.silence_owed += dur;
    }

    /// Adds one decoded block.
    pub(crate) fn block(&mut self, decoded: &AudioBufferRef<'_>) -> Result<(), FormatChange> {
        let spec = *decoded.spec();
        let (rate, channels) = (spec.rate, spec.channels.count());
        let resampler = self.resampler.get_or_insert_with(|| StreamResampler::new(rate, channels));
        if (rate, channels) != (resampler.rate(), resampler.channels()) {
            let from = (resampler.rate(), resampler.channels());
            return Err(FormatChange { from, to: (rate, channels) });
        }
        push_silence(resampler, std::mem::take(&mut self.silence_owed));
        // `convert` lays channels out by the source's capacity, so the buffer must match it.
        let fits = self
            .planar
            .as_ref()
            .is_some_and(|buffer| buffer.capacity() == decoded.capacity() && buffer.spec() == decoded.spec());
        if !fits {
            self.planar = Some(decoded.make_equivalent::<f32>());
        }
        let buffer = self.planar.as_mut().expect("set just above");
        decoded.convert(buffer);
        resampler.push(buffer.planes().planes());
        Ok(())
    }

    /// The original rate, the frames decoded (with silence for lost packets) and the 16 kHz
    /// channels; `None` when no block was ever decoded.
    pub(crate) fn finish(self) -> Option<(u32, u64, Vec<Vec<f32>>)> {
        let mut resampler = self.resampler?;
        push_silence(&mut resampler, self.silence_owed);
        Some((resampler.rate(), resampler.input_frames(), resampler.finish()))
    }
}

fn push_silence(resampler: &mut StreamResampler, mut frames: u64) {
    let zeros = vec![0.0f32; frames.min(SILENCE_BLOCK) as usize];
    while frames > 0 {
        let block = &zeros[..frames.min(SILENCE_BLOCK) as usize];
        let planes = vec![block; resampler.channels()];
        resampler.push(&planes);
        frames -= block.len() as u64;
    }
}
