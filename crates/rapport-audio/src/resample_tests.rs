//! Checks that resampling keeps length, frequency, amplitude and timing, and removes what a
//! 16 kHz signal cannot carry.

use super::*;
use std::f64::consts::TAU;

fn sine(rate: u32, freq: f64, amplitude: f64, frames: usize) -> Vec<f32> {
    (0..frames).map(|i| (amplitude * (TAU * freq * i as f64 / f64::from(rate)).sin()) as f32).collect()
}

fn resample_in_blocks(rate: u32, channels: &[Vec<f32>], block: usize) -> Vec<Vec<f32>> {
    let mut resampler = StreamResampler::new(rate, channels.len());
    let frames = channels[0].len();
    let mut start = 0;
    while start < frames {
        let end = (start + block).min(frames);
        let planes: Vec<&[f32]> = channels.iter().map(|c| &c[start..end]).collect();
        resampler.push(&planes);
        start = end;
    }
    resampler.finish()
}

fn rms(samples: &[f32]) -> f64 {
    (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / samples.len() as f64).sqrt()
}

/// The middle of a signal, away from the edges where the filter sees the zero padding.
fn middle(samples: &[f32]) -> &[f32] {
    &samples[samples.len() / 10..samples.len() * 9 / 10]
}

#[test]
fn output_length_is_the_rounded_ratio_for_every_rate_and_length() {
    for rate in [8_000, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000, 96_000] {
        for frames in [0, 1, 2, 100, 4095, 4096, 4097, 44_100 * 3 + 17] {
            let input = vec![vec![0.25; frames]];
            let output = resample_in_blocks(rate, &input, 1000);
            let expected = (frames as f64 * 16_000.0 / f64::from(rate)).round() as usize;
            assert_eq!(output[0].len(), expected, "rate {rate}, {frames} frames");
        }
    }
}

#[test]
fn a_1khz_sine_keeps_frequency_amplitude_and_phase() {
    for rate in [8_000, 22_050, 44_100, 48_000] {
        let input = sine(rate, 1000.0, 0.5, rate as usize * 2);
        let output = resample_in_blocks(rate, &[input], 3001).remove(0);
        let ideal = sine(TARGET_RATE, 1000.0, 0.5, output.len());
        // Sample-by-sample against the ideal 16 kHz sine: this also proves the filter delay is
        // removed, since a shift of even one sample would be an error of about 0.2.
        let worst =
            middle(&output).iter().zip(middle(&ideal)).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(worst < 0.005, "rate {rate}: worst error {worst}");
        let amplitude = rms(middle(&output)) * 2f64.sqrt();
        assert!((amplitude - 0.5).abs() < 0.005, "rate {rate}: amplitude {amplitude}");
    }
}

#[test]
fn tones_above_8khz_are_removed_not_folded_back() {
    for (rate, freq, min_attenuation_db) in
        [(44_100, 10_000.0, 80.0), (48_000, 12_000.0, 80.0), (44_100, 8_600.0, 40.0)]
    {
        let input = sine(rate, freq, 0.5, rate as usize * 2);
        let output = resample_in_blocks(rate, &[input], 4096).remove(0);
        let attenuation_db = 20.0 * (0.5 / 2f64.sqrt() / rms(middle(&output))).log10();
        assert!(
            attenuation_db > min_attenuation_db,
            "{freq} Hz at {rate} Hz attenuated only {attenuation_db:.1} dB"
        );
    }
}

#[test]
fn speech_band_tones_pass_flat() {
    for freq in [100.0, 3_000.0, 7_000.0] {
        let input = sine(44_100, freq, 0.5, 44_100);
        let output = resample_in_blocks(44_100, &[input], 4096).remove(0);
        let amplitude = rms(middle(&output)) * 2f64.sqrt();
        assert!((amplitude - 0.5).abs() < 0.01, "{freq} Hz: amplitude {amplitude}");
    }
}

#[test]
fn block_size_and_channel_count_do_not_change_the_result() {
    let left = sine(44_100, 440.0, 0.3, 30_000);
    let right = sine(44_100, 1_500.0, 0.6, 30_000);
    let together = resample_in_blocks(44_100, &[left.clone(), right.clone()], 30_000);
    for block in [1, 577, 4096, 10_000] {
        let stereo = resample_in_blocks(44_100, &[left.clone(), right.clone()], block);
        assert_eq!(stereo, together, "block {block}");
    }
    assert_eq!(resample_in_blocks(44_100, &[right], 999)[0], together[1]);
}

#[test]
fn sixteen_khz_input_is_copied_unchanged() {
    let input = sine(16_000, 440.0, 0.3, 1234);
    assert_eq!(resample_in_blocks(16_000, std::slice::from_ref(&input), 100)[0], input);
}
