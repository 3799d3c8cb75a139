//! Real and synthetic speech: lengths match the headers, and call channels keep their speaker.

mod common;

use common::{decode, fixture, level_db, speech, write_wav};
use rapport_audio::{channel_separation, detect_layout, ChannelLayout, TARGET_RATE};

/// The recordings in the shared speech folder, with their rate and length from the WAV header.
fn shared_recordings() -> Vec<(std::path::PathBuf, u32, u32)> {
    let mut paths: Vec<_> = std::fs::read_dir(speech("ljspeech"))
        .expect("../shared/data/speech/ljspeech is missing")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "wav"))
        .collect();
    paths.push(speech("jfk/jfk.wav"));
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let reader = hound::WavReader::open(&path).unwrap();
            let (rate, frames) = (reader.spec().sample_rate, reader.duration());
            (path, rate, frames)
        })
        .collect()
}

#[test]
fn shared_speech_decodes_to_its_header_length() {
    let recordings = shared_recordings();
    assert!(recordings.len() >= 17, "found only {}", recordings.len());
    for (path, rate, frames) in recordings {
        let audio = decode(&path).unwrap();
        let name = path.display();
        assert_eq!((audio.sample_rate, audio.channels.len()), (rate, 1), "{name}");
        assert_eq!(audio.duration_s, f64::from(frames) / f64::from(rate), "{name}");
        let expected = (f64::from(frames) * 16_000.0 / f64::from(rate)).round() as usize;
        assert_eq!(audio.frames(), expected, "{name}");
        let level = level_db(&audio.channels[0], 0.0, audio.duration_s);
        assert!((-40.0..-10.0).contains(&level), "{name}: speech at {level:.1} dBFS");
    }
}

#[test]
fn sixteen_khz_speech_is_passed_through_sample_for_sample() {
    let path = speech("jfk/jfk.wav");
    let raw: Vec<f32> = hound::WavReader::open(&path)
        .unwrap()
        .samples::<i16>()
        .map(|sample| f32::from(sample.unwrap()) / 32_768.0)
        .collect();
    let audio = decode(&path).unwrap();
    assert_eq!((audio.sample_rate, audio.duration_s), (TARGET_RATE, 11.0));
    assert_eq!(audio.channels[0], raw);
}

#[test]
fn a_two_voice_call_keeps_each_voice_on_its_channel() {
    // Made by tests/fixtures/make.sh: the rep (espeak-ng en-us, 3.3 s) on the left from 0 s, the
    // customer (en-gb, 2.8 s) on the right from 4 s.
    let audio = decode(&fixture("call-two-voices.mp3")).unwrap();
    assert_eq!((audio.format.as_str(), audio.sample_rate, audio.channels.len()), ("mp3", 22_050, 2));
    // sox writes no LAME tag, so the encoder's delay and padding stay in: up to 0.06 s more.
    assert!((7.0..7.06).contains(&audio.duration_s), "{} s", audio.duration_s);
    let [rep, customer] = [&audio.channels[0], &audio.channels[1]];
    for (from, to) in [(0.2, 1.5), (1.5, 3.0)] {
        let (talking, listening) = (level_db(rep, from, to), level_db(customer, from, to));
        assert!(
            talking > -35.0 && listening < -80.0,
            "{from}-{to} s: rep {talking:.0} dB, customer {listening:.0} dB"
        );
    }
    for (from, to) in [(4.2, 5.5), (5.5, 6.7)] {
        let (talking, listening) = (level_db(customer, from, to), level_db(rep, from, to));
        assert!(
            talking > -35.0 && listening < -80.0,
            "{from}-{to} s: customer {talking:.0} dB, rep {listening:.0} dB"
        );
    }
    // Nobody talks between the turns.
    assert!(level_db(rep, 3.5, 3.9) < -60.0 && level_db(customer, 3.5, 3.9) < -60.0);
    assert_eq!(detect_layout(&audio.channels, 0).unwrap(), ChannelLayout::PerSpeaker { rep_channel: 0 });
}

#[test]
fn layout_of_real_speech_per_channel_or_mixed() {
    let read = |name: &str| decode(&speech(&format!("ljspeech/{name}"))).unwrap().channels.remove(0);
    let (first, second) = (read("LJ001-0004.wav"), read("LJ001-0011.wav"));
    // Two turns with half a second of pause: the first voice on the left, then the second on
    // the right, written as a 16 kHz stereo WAV.
    let pause = 8_000;
    let total = first.len() + pause + second.len();
    let mut left = first.clone();
    left.resize(total, 0.0);
    let mut right = vec![0.0; first.len() + pause];
    right.extend_from_slice(&second);
    let dir = tempfile::tempdir().unwrap();
    let separate = dir.path().join("separate.wav");
    write_wav(&separate, 16_000, 16, &[left.clone(), right.clone()]);
    let audio = decode(&separate).unwrap();
    assert_eq!(detect_layout(&audio.channels, 1).unwrap(), ChannelLayout::PerSpeaker { rep_channel: 1 });
    let separation = channel_separation(&audio.channels);
    assert!(separation.separated_share > 0.95, "{separation:?}");

    // The same conversation mixed onto both channels is one stream.
    let mix: Vec<f32> = left.iter().zip(&right).map(|(a, b)| a + b).collect();
    let mixed = dir.path().join("mixed.wav");
    write_wav(&mixed, 16_000, 16, &[mix.clone(), mix]);
    let audio = decode(&mixed).unwrap();
    assert_eq!(detect_layout(&audio.channels, 1).unwrap(), ChannelLayout::Mono);
}
