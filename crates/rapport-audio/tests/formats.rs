//! Every supported format decodes to the right length, channels, frequencies and levels.

mod common;

use common::{decode, fixture, sine, tone_amplitude, write_wav};
use rapport_audio::{decode_bytes, decode_file, TARGET_RATE};

/// Checks one decoded fixture: format, original rate, duration (within `slack_s`, for codecs
/// whose encoders pad), and that each channel carries its tone at half scale and nothing of
/// the other channel's.
fn check(name: &str, format: &str, rate: u32, duration_s: f64, slack_s: f64, tones: &[f64]) {
    let audio = decode(&fixture(name)).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(audio.format, format, "{name}");
    assert_eq!(audio.sample_rate, rate, "{name}");
    assert!((audio.duration_s - duration_s).abs() <= slack_s, "{name}: {} s", audio.duration_s);
    assert_eq!(audio.frames(), (audio.duration_s * f64::from(TARGET_RATE)).round() as usize, "{name}");
    assert_eq!(audio.channels.len(), tones.len(), "{name}");
    for (channel, &tone) in audio.channels.iter().zip(tones) {
        assert_eq!(channel.len(), audio.frames());
        let level = tone_amplitude(channel, tone);
        // -6 dBFS is 0.501; lossy codecs keep a pure tone's level within a few percent.
        assert!((level - 0.501).abs() < 0.03, "{name}: {tone} Hz at {level}");
        for &other in tones.iter().filter(|&&other| other != tone) {
            let leak = tone_amplitude(channel, other);
            assert!(leak < 0.005, "{name}: {other} Hz leaks into the {tone} Hz channel at {leak}");
        }
    }
}

#[test]
fn mp3_stereo_44k1() {
    check("tone-44k1-stereo.mp3", "mp3", 44_100, 2.0, 0.001, &[440.0, 1000.0]);
}

#[test]
fn flac_mono_48k() {
    check("tone-48k-mono.flac", "flac", 48_000, 1.0, 0.0, &[1000.0]);
}

#[test]
fn ogg_vorbis_stereo_22k05() {
    check("tone-22k05-stereo.ogg", "ogg", 22_050, 2.0, 0.001, &[440.0, 1000.0]);
}

#[test]
fn m4a_aac_mono_44k1() {
    // The MP4 reader does not apply the encoder's priming trim, so up to 2 AAC frames of 1024
    // samples may be added.
    check("tone-44k1-mono.m4a", "m4a", 44_100, 2.0, 0.05, &[1000.0]);
}

#[test]
fn telephony_wavs() {
    check("phone-8k-ulaw.wav", "wav", 8_000, 1.0, 0.0, &[1000.0]);
    // ADPCM packs samples in blocks; the last block may be padded by a few milliseconds.
    check("phone-8k-ima-adpcm.wav", "wav", 8_000, 1.0, 0.07, &[1000.0]);
    check("phone-8k-ms-adpcm.wav", "wav", 8_000, 1.0, 0.07, &[1000.0]);
}

#[test]
fn the_audio_of_a_video_recording() {
    check("tone-48k-video.mp4", "mp4", 48_000, 1.0, 0.05, &[1000.0]);
}

#[test]
fn bare_adts_aac() {
    check("tone-44k1-mono.aac", "aac", 44_100, 2.0, 0.05, &[1000.0]);
}

#[test]
fn wav_in_every_sample_format_and_common_rate() {
    let dir = tempfile::tempdir().unwrap();
    for (rate, bits) in [(8_000, 16), (16_000, 16), (22_050, 24), (44_100, 32), (48_000, 16)] {
        let frames = rate as usize * 3 / 2;
        let path = dir.path().join(format!("tone-{rate}-{bits}.wav"));
        write_wav(&path, rate, bits, &[sine(rate, 440.0, 0.5, frames), sine(rate, 1000.0, 0.5, frames)]);
        let audio = decode(&path).unwrap();
        assert_eq!((audio.format.as_str(), audio.sample_rate), ("wav", rate));
        assert_eq!(audio.duration_s, 1.5);
        assert_eq!(audio.frames(), 24_000);
        for (channel, tone) in audio.channels.iter().zip([440.0, 1000.0]) {
            let level = tone_amplitude(channel, tone);
            assert!((level - 0.5).abs() < 0.002, "{rate} Hz {bits}-bit: {tone} Hz at {level}");
        }
    }
}

#[test]
fn more_than_two_channels_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("four.wav");
    let tones = [300.0, 700.0, 1100.0, 2300.0];
    let channels: Vec<Vec<f32>> = tones.iter().map(|&tone| sine(32_000, tone, 0.5, 32_000)).collect();
    write_wav(&path, 32_000, 16, &channels);
    let audio = decode(&path).unwrap();
    assert_eq!(audio.channels.len(), 4);
    for (channel, tone) in audio.channels.iter().zip(tones) {
        assert!((tone_amplitude(channel, tone) - 0.5).abs() < 0.002);
        assert!(tones.iter().filter(|&&t| t != tone).all(|&t| tone_amplitude(channel, t) < 0.001));
    }
}

#[test]
fn bytes_decode_like_the_file_and_a_misleading_extension_does_not_matter() {
    for name in ["tone-44k1-stereo.mp3", "tone-48k-mono.flac", "tone-22k05-stereo.ogg", "tone-44k1-mono.m4a"]
    {
        let path = fixture(name);
        let bytes = std::fs::read(&path).unwrap();
        let from_file = decode(&path).unwrap();
        assert_eq!(decode_bytes(name, &bytes, &mut |_| {}).unwrap(), from_file, "{name}");
        // The content decides the format, not the name a user gave the upload.
        assert_eq!(decode_bytes("upload.wav", &bytes, &mut |_| {}).unwrap(), from_file, "{name}");
    }
}

#[test]
fn progress_rises_to_one() {
    for name in ["tone-44k1-stereo.mp3", "tone-48k-mono.flac", "tone-44k1-mono.m4a"] {
        let mut seen = Vec::new();
        decode_file(&fixture(name), &mut |share| seen.push(share)).unwrap();
        assert!(seen.len() > 10, "{name}: only {seen:?}");
        assert!(seen.windows(2).all(|pair| pair[0] <= pair[1]), "{name}: {seen:?}");
        assert!(seen.iter().all(|share| (0.0..=1.0).contains(share)));
        assert_eq!(seen.last(), Some(&1.0), "{name}");
    }
}

#[test]
fn a_wav_written_to_a_pipe_decodes_to_its_end() {
    // Streaming writers (ffmpeg to a pipe, live recorders) cannot go back to fill in the sizes
    // and leave the 0xFFFFFFFF placeholder: the length is unknown, not 37 hours.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("piped.wav");
    write_wav(&path, 8_000, 16, &[sine(8_000, 440.0, 0.5, 12_000)]);
    let mut bytes = std::fs::read(&path).unwrap();
    let data = bytes.windows(4).position(|window| window == b"data").unwrap();
    bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    bytes[data + 4..data + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    let audio = decode_bytes("piped.wav", &bytes, &mut |_| {}).unwrap();
    assert_eq!((audio.duration_s, audio.frames()), (1.5, 24_000));
}
