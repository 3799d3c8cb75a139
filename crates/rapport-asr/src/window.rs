//! Decoding one 30-second window: its prompt (earlier text, hotwords, start sequence) and
//! the temperature fallback loop around CTranslate2's Whisper `generate`.

use ct2rs::sys::{StorageView, Whisper, WhisperOptions};

use crate::fallback::{average_logprob, best_of_failed, compression_ratio, needs_fallback, Attempt};
use crate::tokens::WhisperTokens;
use crate::{AsrError, TranscriberOptions};

/// Whisper's decoder has 448 positions; at most half go to the prompt, one of them to
/// `<|startofprev|>`.
const MAX_CONTEXT_TOKENS: usize = 448 / 2 - 1;
const MAX_LENGTH: usize = 448;
/// Timestamps may start at most 1 s into a window (in 20 ms steps), as in Whisper.
const MAX_INITIAL_TIMESTAMP_INDEX: usize = 50;

/// The decoder prompt: `<|startofprev|>`, hotwords, the tail of the earlier text, then the
/// start-of-transcript sequence. Hotwords come first and are never cut for earlier text.
pub fn build_prompt(
    start_of_previous: usize,
    hotwords: &[usize],
    previous: &[usize],
    start_sequence: &[usize],
) -> Vec<usize> {
    let mut prompt = Vec::new();
    if !hotwords.is_empty() || !previous.is_empty() {
        prompt.push(start_of_previous);
        let hotwords = &hotwords[..hotwords.len().min(MAX_CONTEXT_TOKENS)];
        prompt.extend_from_slice(hotwords);
        let room = MAX_CONTEXT_TOKENS - hotwords.len();
        prompt.extend_from_slice(&previous[previous.len().saturating_sub(room)..]);
    }
    prompt.extend_from_slice(start_sequence);
    prompt
}

/// Decodes one window's encoder output at the first temperature whose output passes the
/// fallback gates (or the best failed attempt when none does).
pub fn decode_with_fallback(
    engine: &Whisper,
    encoded: &StorageView,
    prompt: &[usize],
    tokens: &WhisperTokens,
    options: &TranscriberOptions,
) -> Result<Attempt, AsrError> {
    let prompt_strings = vec![tokens.to_strings(prompt)];
    let mut failed = Vec::new();
    for &temperature in &options.fallback.temperatures {
        let attempt = decode_once(engine, encoded, &prompt_strings, tokens, options, temperature)?;
        if !needs_fallback(&attempt, &options.fallback) {
            return Ok(attempt);
        }
        failed.push(attempt);
    }
    best_of_failed(failed, &options.fallback)
        .ok_or_else(|| AsrError::InvalidOption("no decoding temperatures given".into()))
}

fn decode_once(
    engine: &Whisper,
    encoded: &StorageView,
    prompt: &[Vec<String>],
    tokens: &WhisperTokens,
    options: &TranscriberOptions,
    temperature: f32,
) -> Result<Attempt, AsrError> {
    let sampling = temperature > 0.0;
    let whisper_options = WhisperOptions {
        beam_size: if sampling { 1 } else { options.beam_size.max(1) },
        patience: 1.0,
        length_penalty: 1.0,
        repetition_penalty: 1.0,
        no_repeat_ngram_size: 0,
        max_length: MAX_LENGTH,
        // top-k 0 samples from the whole distribution; 1 is the argmax of greedy search.
        sampling_topk: if sampling { 0 } else { 1 },
        sampling_temperature: if sampling { temperature } else { 1.0 },
        num_hypotheses: if sampling { options.best_of.max(1) } else { 1 },
        return_scores: true,
        return_logits_vocab: false,
        return_no_speech_prob: true,
        max_initial_timestamp_index: MAX_INITIAL_TIMESTAMP_INDEX,
        suppress_blank: true,
        suppress_tokens: tokens.suppressed(),
    };
    let results = engine.generate(encoded, prompt, &whisper_options).map_err(AsrError::engine)?;
    let result = results.into_iter().next().ok_or_else(|| AsrError::engine("no result for the window"))?;
    // Hypotheses come best first.
    let ids = result.sequences_ids.into_iter().next().unwrap_or_default();
    let score = result.scores.first().copied().unwrap_or(f32::NEG_INFINITY);
    let text = tokens.decode(&ids)?;
    Ok(Attempt {
        avg_logprob: average_logprob(score, ids.len(), 1.0),
        compression_ratio: compression_ratio(text.trim()),
        no_speech_prob: result.no_speech_prob as f64,
        tokens: ids,
        text,
        temperature,
    })
}

/// The language a multilingual model hears in a window, as its `<|xx|>` token. ct2rs keeps
/// the fields of its detection result private, so the token is read from its `Debug` form.
pub fn detect_language(engine: &Whisper, encoded: &StorageView) -> Result<String, AsrError> {
    let results = engine.detect_language(encoded).map_err(AsrError::engine)?;
    let best = results.first().and_then(|candidates| candidates.first()).map(|c| format!("{c:?}"));
    best.as_deref()
        .and_then(language_from_debug)
        .ok_or_else(|| AsrError::engine(format!("unexpected language detection result {best:?}")))
}

fn language_from_debug(debug: &str) -> Option<String> {
    let start = debug.find("<|")?;
    let end = debug[start..].find("|>")? + start + 2;
    Some(debug[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::{build_prompt, language_from_debug, MAX_CONTEXT_TOKENS};

    #[test]
    fn prompt_layout_and_limits() {
        const PREV: usize = 9000;
        assert_eq!(build_prompt(PREV, &[], &[], &[1]), vec![1]);
        assert_eq!(build_prompt(PREV, &[5, 6], &[7, 8], &[1, 2, 3]), vec![PREV, 5, 6, 7, 8, 1, 2, 3]);
        // Earlier text is cut from the front; hotwords keep their place.
        let previous: Vec<usize> = (0..1000).collect();
        let prompt = build_prompt(PREV, &[5, 6], &previous, &[1]);
        assert_eq!(prompt.len(), 1 + MAX_CONTEXT_TOKENS + 1);
        assert_eq!(&prompt[..4], &[PREV, 5, 6, 1000 - (MAX_CONTEXT_TOKENS - 2)]);
        assert_eq!(&prompt[prompt.len() - 2..], &[999, 1]);
    }

    #[test]
    fn language_token_from_detection_debug() {
        let debug = r#"DetectionResult { language: "<|de|>", probability: 0.93 }"#;
        assert_eq!(language_from_debug(debug).as_deref(), Some("<|de|>"));
        assert_eq!(language_from_debug("DetectionResult { }"), None);
    }
}
