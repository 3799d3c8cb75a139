//! Streaming band-limited resampling to 16 kHz, fed packet by packet as the decoder produces them.
//!
//! rubato's `FftFixedInOut` is a synchronous resampler: it filters in the frequency domain with a
//! windowed-sinc low-pass just below the lower of the two Nyquist frequencies, so content above
//! 8 kHz is removed rather than folded back into the speech band. It is several times faster than
//! the asynchronous sinc resamplers, and every supported rate has a small rational ratio to
//! 16 kHz. Input is consumed in fixed chunks, so only one chunk of original-rate audio is held at
//! a time: a long call never needs its full length at the original rate in memory.

use rubato::{FftFixedInOut, Resampler};

/// The rate every channel is resampled to: what Whisper expects.
pub const TARGET_RATE: u32 = 16_000;

/// Desired input frames per FFT chunk; rubato rounds it up to a multiple of the ratio's
/// denominator. Longer chunks give a sharper anti-aliasing filter (the filter is as long as the
/// chunk) at a small cost in latency, which does not matter for files.
const CHUNK_FRAMES: usize = 4096;

/// Turns audio at `rate` into audio at [`TARGET_RATE`], one channel per `Vec`.
pub(crate) struct StreamResampler {
    /// `None` when the input is already at the target rate: samples are copied through.
    fft: Option<FftFixedInOut<f32>>,
    /// Input not yet processed: less than one chunk once `push` returns.
    pending: Vec<Vec<f32>>,
    output: Vec<Vec<f32>>,
    scratch: Vec<Vec<f32>>,
    /// Output frames still to drop: the filter's delay, so output sample 0 is input time 0.
    delay_left: usize,
    input_frames: u64,
    rate: u32,
}

impl std::fmt::Debug for StreamResampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResampler")
            .field("rate", &self.rate)
            .field("channels", &self.pending.len())
            .field("input_frames", &self.input_frames)
            .finish()
    }
}

impl StreamResampler {
    /// Panics only on a zero rate or zero channels, which the decoder rules out before.
    pub(crate) fn new(rate: u32, channels: usize) -> Self {
        assert!(rate > 0 && channels > 0, "rate {rate} and channels {channels} must be > 0");
        let fft = (rate != TARGET_RATE).then(|| {
            FftFixedInOut::new(rate as usize, TARGET_RATE as usize, CHUNK_FRAMES, channels)
                .expect("non-zero rates are valid")
        });
        let delay_left = fft.as_ref().map_or(0, |fft| fft.output_delay());
        let scratch = fft.as_ref().map_or_else(Vec::new, |fft| fft.output_buffer_allocate(true));
        StreamResampler {
            fft,
            pending: vec![Vec::new(); channels],
            output: vec![Vec::new(); channels],
            scratch,
            delay_left,
            input_frames: 0,
            rate,
        }
    }

    pub(crate) fn channels(&self) -> usize {
        self.pending.len()
    }

    /// The original rate.
    pub(crate) fn rate(&self) -> u32 {
        self.rate
    }

    /// Original-rate frames pushed so far.
    pub(crate) fn input_frames(&self) -> u64 {
        self.input_frames
    }

    /// Appends one block of audio, one slice per channel, all of the same length.
    pub(crate) fn push(&mut self, planes: &[&[f32]]) {
        debug_assert_eq!(planes.len(), self.channels());
        self.input_frames += planes.first().map_or(0, |plane| plane.len()) as u64;
        let Some(fft) = self.fft.as_mut() else {
            for (output, plane) in self.output.iter_mut().zip(planes) {
                output.extend_from_slice(plane);
            }
            return;
        };
        for (pending, plane) in self.pending.iter_mut().zip(planes) {
            pending.extend_from_slice(plane);
        }
        let chunk = fft.input_frames_next();
        let mut start = 0;
        while self.pending[0].len() - start >= chunk {
            let input: Vec<&[f32]> =
                self.pending.iter().map(|pending| &pending[start..start + chunk]).collect();
            run_chunk(fft, &input, &mut self.scratch, &mut self.output, &mut self.delay_left);
            start += chunk;
        }
        for pending in &mut self.pending {
            pending.drain(..start);
        }
    }

    /// Flushes the tail and returns exactly `round(n * 16000 / rate)` frames per channel, where
    /// `n` is the number of input frames: the last partial chunk is padded with silence and more
    /// silence is pushed until the filter's delayed output has all come out.
    pub(crate) fn finish(mut self) -> Vec<Vec<f32>> {
        let expected = expected_output_frames(self.input_frames, self.rate);
        if let Some(fft) = self.fft.as_mut() {
            let chunk = fft.input_frames_next();
            while self.output[0].len() < expected {
                let input: Vec<Vec<f32>> = self
                    .pending
                    .iter_mut()
                    .map(|pending| {
                        let mut padded = std::mem::take(pending);
                        padded.resize(chunk, 0.0);
                        padded
                    })
                    .collect();
                run_chunk(fft, &input, &mut self.scratch, &mut self.output, &mut self.delay_left);
            }
        }
        for output in &mut self.output {
            output.truncate(expected);
        }
        self.output
    }
}

/// The output length for `frames` input frames at `rate`, rounded to the nearest frame.
pub(crate) fn expected_output_frames(frames: u64, rate: u32) -> usize {
    let scaled = u128::from(frames) * u128::from(TARGET_RATE);
    ((scaled + u128::from(rate) / 2) / u128::from(rate)) as usize
}

fn run_chunk<V: AsRef<[f32]>>(
    fft: &mut FftFixedInOut<f32>,
    input: &[V],
    scratch: &mut [Vec<f32>],
    output: &mut [Vec<f32>],
    delay_left: &mut usize,
) {
    let (_, produced) = fft
        .process_into_buffer(input, scratch, None)
        .expect("chunks and buffers are sized from the resampler itself");
    let skip = (*delay_left).min(produced);
    *delay_left -= skip;
    for (output, scratch) in output.iter_mut().zip(scratch.iter()) {
        output.extend_from_slice(&scratch[skip..produced]);
    }
}

#[cfg(test)]
#[path = "resample_tests.rs"]
mod tests;
