//! Checks the channel-layout rule on synthetic two-party conversations.

use super::*;

/// A "voice": a warbling tone, loud enough to be speech-like in level.
fn voice(frames: usize, freq: f32, level: f32) -> Vec<f32> {
    (0..frames)
        .map(|i| {
            let t = i as f32 / 16_000.0;
            level * (std::f32::consts::TAU * freq * t * (1.0 + 0.05 * (7.0 * t).sin())).sin()
        })
        .collect()
}

/// A conversation of alternating one-second turns, A on channel 0 and B on channel 1, each
/// leaking into the other channel at `crosstalk` (a linear gain) and overlapping by `overlap`
/// seconds at each change of turn.
fn conversation(turns: usize, crosstalk: f32, overlap: f32) -> Vec<Vec<f32>> {
    let second = 16_000;
    let total = turns * second;
    let mut channels = vec![vec![0.0f32; total]; 2];
    let a = voice(total, 220.0, 0.3);
    let b = voice(total, 330.0, 0.3);
    let extra = (overlap * second as f32) as usize;
    for turn in 0..turns {
        let (speaker, source) = if turn % 2 == 0 { (0, &a) } else { (1, &b) };
        let start = turn * second;
        let end = (start + second + extra).min(total);
        for i in start..end {
            channels[speaker][i] += source[i];
            channels[1 - speaker][i] += crosstalk * source[i];
        }
    }
    channels
}

fn layout(channels: &[Vec<f32>]) -> ChannelLayout {
    detect_layout(channels, 1).unwrap()
}

#[test]
fn frame_energy_is_in_dbfs() {
    let full_scale_sine = voice(FRAME_SAMPLES * 2, 1000.0, 1.0);
    for energy in frame_energy_db(&full_scale_sine) {
        assert!((energy + 3.0).abs() < 0.2, "{energy}");
    }
    assert_eq!(frame_energy_db(&[0.0; 500]), vec![-120.0, -120.0]);
    assert!(frame_energy_db(&[]).is_empty());
}

#[test]
fn one_party_per_channel_is_per_speaker_even_with_crosstalk_and_overlap() {
    assert_eq!(layout(&conversation(10, 0.0, 0.0)), ChannelLayout::PerSpeaker { rep_channel: 1 });
    // Crosstalk 26 dB down and a quarter second of overlap at every turn.
    let leaky = conversation(10, 0.05, 0.25);
    assert_eq!(layout(&leaky), ChannelLayout::PerSpeaker { rep_channel: 1 });
    let separation = channel_separation(&leaky);
    assert!(separation.separated_share > 0.7, "{separation:?}");
}

#[test]
fn identical_or_mixed_channels_are_mono() {
    let [left, right]: [Vec<f32>; 2] = conversation(10, 0.0, 0.0).try_into().unwrap();
    let mix: Vec<f32> = left.iter().zip(&right).map(|(a, b)| a + b).collect();
    assert_eq!(layout(&[mix.clone(), mix.clone()]), ChannelLayout::Mono);
    // A panned mix: each party 3 dB louder on "their" side is still one mix.
    let panned = conversation(10, 0.7, 0.0);
    assert_eq!(layout(&panned), ChannelLayout::Mono);
    let separation = channel_separation(&panned);
    assert!(separation.separated_share < 0.1, "{separation:?}");
}

#[test]
fn a_silent_channel_or_a_single_channel_is_mono() {
    let [left, _]: [Vec<f32>; 2] = conversation(10, 0.0, 0.0).try_into().unwrap();
    let both_on_left: Vec<f32> = voice(left.len(), 220.0, 0.3);
    assert_eq!(layout(&[both_on_left.clone(), vec![0.0; left.len()]]), ChannelLayout::Mono);
    assert_eq!(detect_layout(&[both_on_left], 5).unwrap(), ChannelLayout::Mono);
    assert_eq!(layout(&[vec![0.0; 16_000], vec![0.0; 16_000]]), ChannelLayout::Mono);
    assert_eq!(detect_layout(&[], 0).unwrap(), ChannelLayout::Mono);
}

#[test]
fn a_rep_channel_the_recording_lacks_is_an_error() {
    let error = detect_layout(&conversation(2, 0.0, 0.0), 2).unwrap_err();
    assert_eq!(
        error.to_string(),
        "rep channel 2 does not exist: the recording has 2 channel(s), numbered from 0"
    );
}
