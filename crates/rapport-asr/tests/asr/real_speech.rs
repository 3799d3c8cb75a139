//! Accuracy on real speech: JFK's inaugural line and sixteen LJSpeech clips, scored with
//! the crate's own WER against the references in `../shared/data/speech`.

use std::time::Instant;

use rapport_asr::wer::{corpus_word_error_rate, word_error_rate};
use rapport_asr::TranscriberOptions;

use crate::common::*;

#[test]
fn jfk_matches_the_reference() {
    let (samples, reference) = jfk();
    let started = Instant::now();
    let segments = transcriber().transcribe(&samples, &mut |_| {}).unwrap();
    let seconds = samples.len() as f64 / RATE as f64;
    let text = text_of(&segments);
    let wer = word_error_rate(&reference, &text);
    eprintln!("jfk: WER {:.3}, RTF {:.3}: {text}", wer, started.elapsed().as_secs_f64() / seconds);
    assert!(wer <= JFK_WER_BOUND, "WER {wer:.3}: {text}");
    assert_times_sane(&segments, seconds);
    assert!(segments[0].start < 1.0, "speech starts at once: {segments:?}");
    assert!(segments.last().unwrap().end > 9.0, "…and runs to the end: {segments:?}");
}

#[test]
fn ljspeech_word_error_rate() {
    let clips = ljspeech();
    assert_eq!(clips.len(), 16);
    let started = Instant::now();
    let mut pairs = Vec::new();
    let mut audio_seconds = 0.0;
    for (id, samples, reference) in &clips {
        let segments = transcriber().transcribe(samples, &mut |_| {}).unwrap();
        let seconds = samples.len() as f64 / RATE as f64;
        audio_seconds += seconds;
        assert_times_sane(&segments, seconds);
        let text = text_of(&segments);
        eprintln!("{id}: {:.3} {text}", word_error_rate(reference, &text));
        pairs.push((reference.clone(), text));
    }
    let wer = corpus_word_error_rate(pairs.iter().map(|(r, h)| (r.as_str(), h.as_str())));
    eprintln!("ljspeech: WER {wer:.4}, RTF {:.3}", started.elapsed().as_secs_f64() / audio_seconds);
    assert!(wer <= LJSPEECH_WER_BOUND, "corpus WER {wer:.4} > {LJSPEECH_WER_BOUND}");
}

/// tiny.en int8 transcribes the JFK line word for word, here and in faster-whisper 1.2.1;
/// one word of 22 is allowed for the arithmetic differences between CPU kernels (ruy's
/// AVX2 and AVX-512 paths, compiler flags) that can flip a near-tie in the beam.
pub const JFK_WER_BOUND: f64 = 0.05;

/// Measured 4.7 % (13 errors in 279 words). faster-whisper 1.2.1 (MKL kernels) scores 3.9 %
/// on the same audio; the two words between them are LJ001-0012's 1.2 s tail "beautiful
/// letters", whose window scores a log-probability of -1.006 here with no-speech 0.64, just
/// past Whisper's silence gate (-1), against -0.97 in a release build and -0.64 in
/// faster-whisper: near-tie arithmetic, not decoding logic. Both sit near tiny.en's
/// published 5.6 % on LibriSpeech test-clean, read speech like LJSpeech. 7 % leaves about
/// six words for such differences between CPU kernels; a real regression (a lost window, a
/// dropped tail per clip, a broken prompt) costs more.
const LJSPEECH_WER_BOUND: f64 = 0.07;

#[test]
fn prompts_and_hotwords_keep_accuracy() {
    let (samples, reference) = jfk();
    let options = TranscriberOptions {
        initial_prompt: Some("A speech by President Kennedy.".into()),
        hotwords: vec!["Americans".into(), "country".into()],
        ..TranscriberOptions::default()
    };
    let segments = load(options).transcribe(&samples, &mut |_| {}).unwrap();
    assert!(word_error_rate(&reference, &text_of(&segments)) <= JFK_WER_BOUND, "{segments:?}");
}

#[test]
fn greedy_search_is_close_to_beam_search() {
    let (samples, reference) = jfk();
    let greedy = load(TranscriberOptions { beam_size: 1, ..TranscriberOptions::default() });
    let text = text_of(&greedy.transcribe(&samples, &mut |_| {}).unwrap());
    assert!(word_error_rate(&reference, &text) <= 0.05, "{text}");
}

/// Word times as faster-whisper 1.2.1 gives them for this clip ("Americans" 1.76–2.26 s,
/// "country." 10.22–10.48 s), within a tenth of a second.
#[test]
fn word_timestamps() {
    let (samples, _) = jfk();
    let options = TranscriberOptions { word_timestamps: true, ..TranscriberOptions::default() };
    let segments = load(options).transcribe(&samples, &mut |_| {}).unwrap();
    let words: Vec<_> = segments.iter().flat_map(|s| s.words.iter()).collect();
    assert_eq!(words.len(), 22, "{words:#?}");
    for segment in &segments {
        assert!(segment
            .words
            .iter()
            .all(|w| segment.start <= w.start && w.start <= w.end && w.end <= segment.end));
    }
    assert!(words.windows(2).all(|pair| pair[0].start <= pair[1].start), "{words:#?}");
    let find = |text: &str| words.iter().find(|w| w.text.trim_end_matches(['.', ',']) == text).unwrap();
    let (americans, country) = (find("Americans"), words.last().unwrap());
    assert!((americans.start - 1.76).abs() < 0.1 && (americans.end - 2.26).abs() < 0.1, "{americans:?}");
    assert!(country.text.starts_with("country") && (country.end - 10.48).abs() < 0.1, "{country:?}");
    assert!(words.iter().all(|w| w.probability > 0.0 && w.probability <= 1.0));
}
