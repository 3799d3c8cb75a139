//! A small voice-activity detector (frame energy against the recording's own noise floor,
//! helped by the zero-crossing rate for quiet fricatives) that finds the long silences worth
//! skipping, and the map that turns times in the kept audio back into recording times.

/// Tuning of the detector; the defaults skip pauses of two seconds or more.
#[derive(Debug, Clone, PartialEq)]
pub struct VadOptions {
    /// Only silences at least this long are removed; shorter pauses stay so Whisper hears
    /// natural speech rhythm.
    pub min_silence_seconds: f64,
    /// Audio kept on each side of detected speech, so onsets and trailing consonants survive.
    pub padding_seconds: f64,
    /// Bursts of "speech" shorter than this (clicks, bumps) are ignored.
    pub min_speech_seconds: f64,
    /// A frame is speech when it is this many decibels above the noise floor…
    pub threshold_above_floor_db: f64,
    /// …but the threshold never leaves this range (dBFS), so digital silence does not make
    /// breathing speech and a noisy line does not hide it.
    pub threshold_range_db: (f64, f64),
}

impl Default for VadOptions {
    fn default() -> Self {
        VadOptions {
            min_silence_seconds: 2.0,
            padding_seconds: 0.4,
            min_speech_seconds: 0.1,
            threshold_above_floor_db: 10.0,
            threshold_range_db: (-55.0, -35.0),
        }
    }
}

const FRAME_SECONDS: f64 = 0.03;

/// Sample ranges `[start, end)` of `samples` that hold speech, padded and merged.
pub fn speech_ranges(samples: &[f32], sample_rate: u32, options: &VadOptions) -> Vec<(usize, usize)> {
    let frame = ((FRAME_SECONDS * sample_rate as f64) as usize).max(1);
    let energies: Vec<(f64, f64)> = samples.chunks(frame).map(energy_db_and_zero_crossings).collect();
    if energies.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<f64> = energies.iter().map(|(db, _)| *db).collect();
    sorted.sort_by(f64::total_cmp);
    // The quietest tenth of the recording is taken as its noise floor: calls pause often.
    let floor = sorted[sorted.len() / 10];
    let (low, high) = options.threshold_range_db;
    let threshold = (floor + options.threshold_above_floor_db).clamp(low, high);
    let voiced = energies.iter().map(|(db, zcr)| *db > threshold || (*db > threshold - 6.0 && *zcr > 0.3));

    let seconds_to_samples = |s: f64| (s * sample_rate as f64) as usize;
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut run_start = None;
    for (index, is_voiced) in voiced.chain(std::iter::once(false)).enumerate() {
        match (is_voiced, run_start) {
            (true, None) => run_start = Some(index),
            (false, Some(start)) => {
                run_start = None;
                if (index - start) * frame >= seconds_to_samples(options.min_speech_seconds) {
                    ranges.push((start * frame, (index * frame).min(samples.len())));
                }
            }
            _ => {}
        }
    }
    let pad = seconds_to_samples(options.padding_seconds);
    let min_gap = seconds_to_samples(options.min_silence_seconds);
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        let (start, end) = (start.saturating_sub(pad), (end + pad).min(samples.len()));
        match merged.last_mut() {
            Some(last) if start < last.1 + min_gap => last.1 = end,
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn energy_db_and_zero_crossings(frame: &[f32]) -> (f64, f64) {
    let mean_square = frame.iter().map(|s| (*s as f64).powi(2)).sum::<f64>() / frame.len() as f64;
    let crossings = frame.windows(2).filter(|pair| (pair[0] >= 0.0) != (pair[1] >= 0.0)).count();
    (10.0 * mean_square.max(1e-12).log10(), crossings as f64 / frame.len() as f64)
}

/// Where each kept range sits in the recording and in the concatenated kept audio.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMap {
    /// (start in the kept audio, start in the recording, length), all in samples.
    pieces: Vec<(usize, usize, usize)>,
    sample_rate: f64,
}

impl TimeMap {
    /// The audio of `ranges` glued together, and the map back to recording times.
    pub fn keep(samples: &[f32], ranges: &[(usize, usize)], sample_rate: u32) -> (Vec<f32>, TimeMap) {
        let mut kept = Vec::with_capacity(ranges.iter().map(|(s, e)| e - s).sum());
        let mut pieces = Vec::with_capacity(ranges.len());
        for &(start, end) in ranges {
            pieces.push((kept.len(), start, end - start));
            kept.extend_from_slice(&samples[start..end]);
        }
        (kept, TimeMap { pieces, sample_rate: sample_rate as f64 })
    }

    /// The recording time of a time in the kept audio. A time exactly on a join belongs to
    /// the piece before it when it ends something (`ends = true`) and to the piece after it
    /// when it starts something.
    pub fn to_recording(&self, kept_seconds: f64, ends: bool) -> f64 {
        self.to_recording_in(self.piece_at(kept_seconds, ends), kept_seconds)
    }

    /// Which kept piece a time in the kept audio falls in (see [`Self::to_recording`] for
    /// times on a join); times outside go to the nearest piece.
    pub fn piece_at(&self, kept_seconds: f64, ends: bool) -> usize {
        let at = kept_seconds * self.sample_rate;
        let inside = self.pieces.iter().position(|(kept, _, len)| {
            let (from, to) = (*kept as f64, (*kept + *len) as f64);
            if ends {
                at > from && at <= to
            } else {
                at >= from && at < to
            }
        });
        inside.unwrap_or(if at <= 0.0 { 0 } else { self.pieces.len().saturating_sub(1) })
    }

    /// The recording time of a time in the kept audio, held inside the given piece.
    pub fn to_recording_in(&self, piece: usize, kept_seconds: f64) -> f64 {
        match self.pieces.get(piece) {
            Some(&(kept, recording, len)) => {
                let offset = (kept_seconds * self.sample_rate - kept as f64).clamp(0.0, len as f64);
                (recording as f64 + offset) / self.sample_rate
            }
            None => kept_seconds,
        }
    }
}

#[cfg(test)]
#[path = "vad_tests.rs"]
mod tests;
