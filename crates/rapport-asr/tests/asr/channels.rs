//! Two-channel calls: each channel transcribed on its own, in parallel, with its own times.

use rapport_asr::wer::word_error_rate;

use crate::common::*;

#[test]
fn channels_are_transcribed_separately() {
    let (jfk_samples, jfk_text) = jfk();
    let (_, lj_samples, lj_text) = ljspeech().into_iter().nth(4).unwrap();
    // The second party answers after the first has finished, as on a call.
    let mut rep = jfk_samples.clone();
    rep.extend(vec![0.0; lj_samples.len() + RATE as usize]);
    let mut customer = vec![0.0; jfk_samples.len() + RATE as usize];
    customer.extend_from_slice(&lj_samples);
    let mut shares = Vec::new();
    let channels = transcriber().transcribe_channels(&[rep, customer], &mut |s| shares.push(s)).unwrap();
    assert_eq!(channels.len(), 2);
    let (rep_text, customer_text) = (text_of(&channels[0]), text_of(&channels[1]));
    assert!(word_error_rate(&jfk_text, &rep_text) <= crate::real_speech::JFK_WER_BOUND, "{rep_text}");
    // LJ001-0005: 1 error in 25 words alone (the "15th" digits); two allowed.
    assert!(word_error_rate(&lj_text, &customer_text) <= 0.08, "{customer_text}");
    let answer_starts = (jfk_samples.len() + RATE as usize) as f64 / RATE as f64;
    assert!(channels[0].iter().all(|s| s.end <= answer_starts), "{:?}", channels[0]);
    assert!(channels[1].iter().all(|s| s.start >= answer_starts - 0.5), "{:?}", channels[1]);
    assert!(shares.windows(2).all(|w| w[0] <= w[1]) && (shares.last().unwrap() - 1.0).abs() < 1e-9);
}

#[test]
fn missing_model_names_the_file() {
    let temp = tempfile::tempdir().unwrap();
    let error = rapport_asr::Transcriber::load(temp.path(), &Default::default()).unwrap_err();
    assert!(error.to_string().contains("is missing model.bin"), "{error}");
}
