//! Detector checks on synthetic recordings whose speech positions are known.

use super::*;

const RATE: u32 = 16_000;

/// A tiny deterministic noise source (xorshift), so tests need no random crate.
fn noise(len: usize, amplitude: f32, seed: u32) -> Vec<f32> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32 * 2.0 - 1.0) * amplitude
        })
        .collect()
}

/// "Speech": a 200 Hz tone with a syllable-rate envelope, on top of `floor` noise.
fn recording(parts: &[(f64, bool)]) -> Vec<f32> {
    let mut out = Vec::new();
    for (seconds, speech) in parts {
        let len = (seconds * RATE as f64) as usize;
        let mut part = noise(len, 0.001, out.len() as u32 + 7);
        if *speech {
            for (i, sample) in part.iter_mut().enumerate() {
                let t = i as f32 / RATE as f32;
                let envelope = 0.6 + 0.4 * (2.0 * std::f32::consts::PI * 4.0 * t).sin();
                *sample += 0.3 * envelope * (2.0 * std::f32::consts::PI * 200.0 * t).sin();
            }
        }
        out.extend(part);
    }
    out
}

fn seconds(ranges: &[(usize, usize)]) -> Vec<(f64, f64)> {
    ranges.iter().map(|(s, e)| (*s as f64 / RATE as f64, *e as f64 / RATE as f64)).collect()
}

fn close(got: &[(f64, f64)], expected: &[(f64, f64)]) -> bool {
    got.len() == expected.len()
        && got.iter().zip(expected).all(|(g, e)| (g.0 - e.0).abs() < 0.05 && (g.1 - e.1).abs() < 0.05)
}

#[test]
fn long_silences_are_cut_short_pauses_kept() {
    // speech 1–3 s, silence 3–8 s (cut), speech 8–9, pause 9–10 (kept), speech 10–11, tail.
    let audio = recording(&[
        (1.0, false),
        (2.0, true),
        (5.0, false),
        (1.0, true),
        (1.0, false),
        (1.0, true),
        (3.0, false),
    ]);
    let got = seconds(&speech_ranges(&audio, RATE, &VadOptions::default()));
    let expected = [(0.6, 3.4), (7.6, 11.4)];
    assert!(close(&got, &expected), "{got:?}");
}

#[test]
fn silence_and_steady_noise_hold_no_speech() {
    let options = VadOptions::default();
    assert!(speech_ranges(&vec![0.0; RATE as usize * 5], RATE, &options).is_empty());
    assert!(speech_ranges(&noise(RATE as usize * 5, 0.01, 3), RATE, &options).is_empty());
    assert!(speech_ranges(&[], RATE, &options).is_empty());
}

#[test]
fn speech_throughout_is_kept_whole() {
    let audio = recording(&[(4.0, true)]);
    assert_eq!(speech_ranges(&audio, RATE, &VadOptions::default()), vec![(0, audio.len())]);
}

#[test]
fn time_map_restores_recording_times() {
    let audio: Vec<f32> = (0..100).map(|i| i as f32).collect();
    let (kept, map) = TimeMap::keep(&audio, &[(10, 20), (50, 60)], 10);
    assert_eq!(kept.len(), 20);
    assert_eq!(kept[10], 50.0);
    let check = |kept_seconds: f64, ends: bool, expected: f64| {
        let got = map.to_recording(kept_seconds, ends);
        assert!((got - expected).abs() < 1e-9, "{kept_seconds} ({ends}) -> {got}, expected {expected}");
    };
    check(0.0, false, 1.0);
    check(0.5, false, 1.5);
    check(1.0, true, 2.0); // the end of the first piece…
    check(1.0, false, 5.0); // …is the start of the second
    check(1.5, true, 5.5);
    check(2.5, true, 6.0); // past the end: clamped to the last kept sample
    assert_eq!((map.piece_at(1.0, true), map.piece_at(1.0, false), map.piece_at(9.0, false)), (0, 1, 1));
    assert_eq!(map.to_recording_in(0, 1.5), 2.0, "held inside the first piece");
}
