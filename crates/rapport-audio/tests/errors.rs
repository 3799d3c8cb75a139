//! Broken, empty and unsupported files fail with a message naming the file and the problem.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_error, decode, fixture, sine, write_wav};
use rapport_audio::{decode_bytes, AudioError};

/// Writes `bytes` as `name` in `dir` and returns the path.
fn put(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The first `share` of a committed fixture's bytes.
fn cut(name: &str, share: f64) -> Vec<u8> {
    let bytes = std::fs::read(fixture(name)).unwrap();
    bytes[..(bytes.len() as f64 * share) as usize].to_vec()
}

/// The seconds in "decoded 1.2 s of the 3.0 s" of a truncation error.
fn decoded_seconds(error: &AudioError) -> f64 {
    match error {
        AudioError::Truncated { decoded_s, .. } => *decoded_s,
        other => panic!("not a truncation: {other}"),
    }
}

#[test]
fn an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = put(dir.path(), "empty.wav", b"");
    assert_error(decode(&path), &["empty.wav: empty file (0 bytes)"]);
    assert_error(decode_bytes("calls/empty.mp3", b"", &mut |_| {}), &["calls/empty.mp3: empty file"]);
}

#[test]
fn a_wav_header_with_no_samples() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("silent.wav");
    write_wav(&path, 16_000, 16, &[vec![]]);
    assert_error(decode(&path), &["silent.wav: no audio samples"]);
}

#[test]
fn a_missing_file() {
    let error = assert_error(decode(Path::new("calls/nowhere.wav")), &["calls/nowhere.wav: cannot read"]);
    assert!(matches!(error, AudioError::Io { .. }));
}

#[test]
fn a_truncated_wav_says_how_much_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.wav");
    write_wav(&whole, 22_050, 16, &[sine(22_050, 440.0, 0.5, 22_050 * 3)]);
    let bytes = std::fs::read(&whole).unwrap();
    // 44 header bytes, then 2 bytes a sample: cut after 1.5 s of samples.
    let path = put(dir.path(), "x.wav", &bytes[..44 + 2 * 33_075]);
    let error = assert_error(decode(&path), &["x.wav: truncated: decoded 1.5 s of the 3.0 s"]);
    assert!((decoded_seconds(&error) - 1.5).abs() < 0.01);
    // Cut inside the header: the header cannot be read.
    let path = put(dir.path(), "stub.wav", &bytes[..30]);
    assert_error(decode(&path), &["stub.wav: truncated: the data ends before the wav headers could be read"]);
}

#[test]
fn truncated_mp3_and_flac() {
    let dir = tempfile::tempdir().unwrap();
    for (name, total) in [("tone-44k1-stereo.mp3", 2.0), ("tone-48k-mono.flac", 1.0)] {
        let file = format!("calls/{name}");
        let path = put(dir.path(), name, &cut(name, 0.5));
        let error =
            assert_error(decode(&path), &[name, "truncated: decoded", &format!("of the {total:.1} s")]);
        let decoded = decoded_seconds(&error);
        assert!(decoded > total * 0.3 && decoded < total * 0.7, "{name}: {decoded} s");
        let bytes = cut(name, 0.5);
        assert_error(decode_bytes(&file, &bytes, &mut |_| {}), &[&format!("{file}: truncated")]);
    }
}

#[test]
fn truncated_m4a_and_ogg_lose_their_index() {
    // ffmpeg writes an M4A's index (moov) after the samples, and the Ogg reader takes the length
    // from the last page: cut anywhere, neither can be opened.
    let dir = tempfile::tempdir().unwrap();
    for (name, format) in [("tone-44k1-mono.m4a", "m4a"), ("tone-22k05-stereo.ogg", "ogg")] {
        for share in [0.5, 0.95] {
            let path = put(dir.path(), name, &cut(name, share));
            let expected =
                format!("{name}: truncated: the data ends before the {format} headers could be read");
            assert_error(decode(&path), &[&expected]);
        }
    }
}

#[test]
fn random_bytes() {
    // A fixed linear congruential sequence: random-looking, the same on every run.
    let mut state: u32 = 12_345;
    let bytes: Vec<u8> = (0..50_000)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = put(dir.path(), "noise.mp3", &bytes);
    assert_error(
        decode(&path),
        &["noise.mp3: not an audio file (no known audio format; it starts with bytes"],
    );
}

#[test]
fn a_text_file_named_wav() {
    let dir = tempfile::tempdir().unwrap();
    let path = put(dir.path(), "notes.wav", "Call notes: customer wants pricing by Friday.\n".as_bytes());
    assert_error(decode(&path), &["notes.wav: not an audio file (it looks like text)"]);
}

#[test]
fn unsupported_container_and_codec() {
    assert_error(
        decode(&fixture("tone.aiff")),
        &["tone.aiff: unsupported audio: AIFF files cannot be decoded"],
    );
    assert_error(
        decode(&fixture("opus-in-ogg.ogg")),
        &["opus-in-ogg.ogg: unsupported audio: the Opus codec is not supported"],
    );
}

#[test]
fn garbage_in_the_middle_of_an_mp3() {
    let mut bytes = std::fs::read(fixture("tone-44k1-stereo.mp3")).unwrap();
    let len = bytes.len();
    for (i, byte) in bytes[len / 4..len * 3 / 4].iter_mut().enumerate() {
        *byte = (i * 7919 % 251) as u8;
    }
    let error = decode_bytes("damaged.mp3", &bytes, &mut |_| {}).unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("damaged.mp3: "), "{message}");
    assert!(matches!(error, AudioError::Corrupt { .. } | AudioError::Truncated { .. }), "{message}");
}

/// A fixture with a few bytes flipped at each of `places` (shares of the file's length).
fn damaged(name: &str, places: &[f64]) -> Vec<u8> {
    let mut bytes = std::fs::read(fixture(name)).unwrap();
    let len = bytes.len();
    for &place in places {
        let at = (len as f64 * place) as usize;
        bytes[at..at + 5].iter_mut().for_each(|byte| *byte ^= 0x5A);
    }
    bytes
}

#[test]
fn one_damaged_flac_frame_becomes_silence_and_keeps_the_timing() {
    let audio =
        decode_bytes("one-bad-frame.flac", &damaged("tone-48k-mono.flac", &[0.5]), &mut |_| {}).unwrap();
    assert_eq!(audio.duration_s, 1.0);
    let samples = &audio.channels[0];
    // One FLAC frame (4096 samples at 48 kHz, 85 ms) is silent; the tone is everywhere else.
    let silent = samples.chunks(160).filter(|block| block.iter().all(|s| s.abs() < 1e-3)).count();
    assert!((7..=10).contains(&silent), "{silent} silent 10 ms blocks");
    assert!(common::level_db(samples, 0.0, 0.3) > -10.0 && common::level_db(samples, 0.75, 1.0) > -10.0);
}

#[test]
fn many_damaged_frames_are_corrupt() {
    let bytes = damaged("tone-48k-mono.flac", &[0.2, 0.35, 0.5, 0.65, 0.8]);
    assert_error(
        decode_bytes("calls/bad.flac", &bytes, &mut |_| {}),
        &["calls/bad.flac: corrupt: ", "packets could not be decoded, the first at 0.2 s"],
    );
}

#[test]
fn a_damaged_ogg_page() {
    let bytes = damaged("tone-22k05-stereo.ogg", &[0.5]);
    assert_error(
        decode_bytes("bad.ogg", &bytes, &mut |_| {}),
        &["bad.ogg: corrupt: the ogg container cannot be read (malformed stream: ogg: crc mismatch)"],
    );
}
