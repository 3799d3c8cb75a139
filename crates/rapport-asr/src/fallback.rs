//! When to distrust a decoded window and decode it again hotter: Whisper's temperature
//! fallback rules, kept pure so they are tested without a model.

use std::io::Write;

/// The quality gates of one window's decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct FallbackOptions {
    /// Decoding temperatures in order; the first is used unless its output fails a gate.
    pub temperatures: Vec<f32>,
    /// Output that gzip shrinks more than this is repetitive (a decoding loop).
    pub compression_ratio_threshold: f64,
    /// Output whose mean token log-probability is below this is a guess.
    pub log_prob_threshold: f64,
    /// A window whose no-speech probability exceeds this, with a low log-probability, is
    /// silence: skipped rather than retried.
    pub no_speech_threshold: f64,
}

impl Default for FallbackOptions {
    /// Whisper's and faster-whisper's defaults.
    fn default() -> Self {
        FallbackOptions {
            temperatures: vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            compression_ratio_threshold: 2.4,
            log_prob_threshold: -1.0,
            no_speech_threshold: 0.6,
        }
    }
}

/// One decoding attempt of a window.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub tokens: Vec<usize>,
    pub text: String,
    pub temperature: f32,
    pub avg_logprob: f64,
    pub compression_ratio: f64,
    pub no_speech_prob: f64,
}

/// Length of `text` over the length of its zlib compression (Python's `zlib.compress`,
/// level 6), as Whisper measures repetitiveness.
pub fn compression_ratio(text: &str) -> f64 {
    let bytes = text.as_bytes();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(bytes).expect("writing to memory");
    let compressed = encoder.finish().expect("writing to memory");
    bytes.len() as f64 / compressed.len() as f64
}

/// Mean log-probability per token the way faster-whisper computes it from CTranslate2's
/// length-normalised score: the cumulative log-probability over the tokens plus end-of-text.
pub fn average_logprob(score: f32, token_count: usize, length_penalty: f64) -> f64 {
    let cumulative = score as f64 * (token_count as f64).powf(length_penalty);
    cumulative / (token_count as f64 + 1.0)
}

/// Whether the attempt fails a gate and the next temperature should be tried.
pub fn needs_fallback(attempt: &Attempt, options: &FallbackOptions) -> bool {
    let repetitive = attempt.compression_ratio > options.compression_ratio_threshold;
    let unsure = attempt.avg_logprob < options.log_prob_threshold;
    // Low confidence on what the model thinks is silence is expected, not a reason to retry.
    let silence = attempt.no_speech_prob > options.no_speech_threshold && unsure;
    (repetitive || unsure) && !silence
}

/// Whether the window holds no speech and is skipped: likely silence, and the text is not
/// confident enough to overrule that.
pub fn is_silence(attempt: &Attempt, options: &FallbackOptions) -> bool {
    attempt.no_speech_prob > options.no_speech_threshold && attempt.avg_logprob <= options.log_prob_threshold
}

/// The attempt to keep when every temperature failed: the most confident among those that
/// are not repetitive, or the most confident of all.
pub fn best_of_failed(attempts: Vec<Attempt>, options: &FallbackOptions) -> Option<Attempt> {
    let by_logprob = |a: &Attempt, b: &Attempt| a.avg_logprob.total_cmp(&b.avg_logprob);
    let (fluent, repetitive): (Vec<Attempt>, Vec<Attempt>) =
        attempts.into_iter().partition(|a| a.compression_ratio <= options.compression_ratio_threshold);
    let pool = if fluent.is_empty() { repetitive } else { fluent };
    pool.into_iter().max_by(by_logprob)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(temperature: f32, avg_logprob: f64, compression_ratio: f64, no_speech_prob: f64) -> Attempt {
        let text = String::new();
        Attempt { tokens: vec![], text, temperature, avg_logprob, compression_ratio, no_speech_prob }
    }

    #[test]
    fn compression_ratio_matches_python_zlib() {
        // Python: len(b) / len(zlib.compress(b)).
        let jfk = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";
        assert!((compression_ratio(jfk) - 107.0 / 79.0).abs() < 0.03, "{}", compression_ratio(jfk));
        let looping = compression_ratio(&"thank you. ".repeat(20));
        assert!((looping - 10.0).abs() < 0.5, "{looping}");
        assert!((compression_ratio("a") - 1.0 / 9.0).abs() < 1e-9);
    }

    #[test]
    fn average_logprob_undoes_length_normalisation() {
        // Score -0.5 over 9 tokens: cumulative -4.5, spread over 10 (end-of-text counted).
        assert!((average_logprob(-0.5, 9, 1.0) - -0.45).abs() < 1e-9);
        assert!((average_logprob(-0.5, 9, 0.0) - -0.05).abs() < 1e-9);
    }

    #[test]
    fn fallback_gates() {
        let options = FallbackOptions::default();
        let check = |a: Attempt, expected: bool| assert_eq!(needs_fallback(&a, &options), expected, "{a:?}");
        check(attempt(0.0, -0.3, 1.5, 0.01), false); // confident, varied text
        check(attempt(0.0, -0.3, 3.1, 0.01), true); // a repetition loop
        check(attempt(0.0, -1.4, 1.5, 0.01), true); // unsure
        check(attempt(0.0, -1.4, 1.5, 0.9), false); // unsure because it is silence
        check(attempt(0.0, -0.2, 2.9, 0.9), true); // looping even though it may be silence
        check(attempt(0.0, -1.0, 2.4, 0.0), false); // both thresholds are inclusive
    }

    #[test]
    fn silence_needs_both_signals() {
        let options = FallbackOptions::default();
        assert!(is_silence(&attempt(0.0, -1.5, 1.0, 0.8), &options));
        assert!(!is_silence(&attempt(0.0, -0.4, 1.0, 0.8), &options)); // confident speech wins
        assert!(!is_silence(&attempt(0.0, -1.5, 1.0, 0.3), &options));
    }

    #[test]
    fn best_of_failed_prefers_fluent_then_confident() {
        let options = FallbackOptions::default();
        let attempts = vec![
            attempt(0.0, -0.2, 5.0, 0.0), // most confident but looping
            attempt(0.2, -1.3, 1.8, 0.0),
            attempt(0.4, -1.1, 2.0, 0.0),
        ];
        assert_eq!(best_of_failed(attempts, &options).unwrap().temperature, 0.4);
        let all_looping = vec![attempt(0.0, -0.9, 4.0, 0.0), attempt(0.2, -0.5, 3.0, 0.0)];
        assert_eq!(best_of_failed(all_looping, &options).unwrap().temperature, 0.2);
        assert_eq!(best_of_failed(vec![], &options), None);
    }
}
