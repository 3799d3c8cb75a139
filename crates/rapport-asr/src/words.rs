//! Word timings from the decoder's cross-attention (CTranslate2's `align`, dynamic time
//! warping over the alignment heads), grouped into words and handed to segments the way
//! faster-whisper does, without its duration heuristics.

use ct2rs::sys::{StorageView, Whisper};

use crate::segments::WindowSegment;
use crate::tokens::WhisperTokens;
use crate::AsrError;

/// Attention steps per second: the encoder sees 50 positions a second.
const STEPS_PER_SECOND: f64 = 50.0;
/// Whisper's smoothing of the attention weights before the warping.
const MEDIAN_FILTER_WIDTH: i64 = 7;
const PREPENDED: &str = "\"'“¿([{-";
const APPENDED: &str = "\"'.。,，!！?？:：”)]}、";

/// One spoken word; times in seconds from the start of the samples given.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub start: f64,
    pub end: f64,
    /// The word as decoded, with its leading space and any punctuation attached.
    pub text: String,
    /// Mean probability of its tokens.
    pub probability: f64,
}

/// A word inside a window: text, tokens, times from the window start.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedWord {
    pub text: String,
    pub tokens: Vec<usize>,
    pub start: f64,
    pub end: f64,
    pub probability: f64,
}

/// The words of each of a window's segments, times relative to the window.
pub fn align_segments(
    engine: &Whisper,
    encoded: &StorageView,
    start_sequence: &[usize],
    tokens: &WhisperTokens,
    segments: &[WindowSegment],
    num_frames: usize,
) -> Result<Vec<Vec<TimedWord>>, AsrError> {
    let per_segment: Vec<Vec<usize>> = segments
        .iter()
        .map(|s| s.tokens.iter().copied().filter(|t| *t < tokens.end_of_text).collect())
        .collect();
    let text_tokens: Vec<usize> = per_segment.iter().flatten().copied().collect();
    if text_tokens.is_empty() {
        return Ok(vec![Vec::new(); segments.len()]);
    }
    let results = engine
        .align(
            encoded,
            start_sequence,
            std::slice::from_ref(&text_tokens),
            &[num_frames],
            MEDIAN_FILTER_WIDTH,
        )
        .map_err(AsrError::engine)?;
    let Some(result) = results.into_iter().next() else { return Ok(vec![Vec::new(); segments.len()]) };
    let path: Vec<(i64, i64)> = result.alignments.iter().map(|a| (a.token_x, a.frame_x)).collect();
    let decode = |ids: &[usize]| tokens.decode(ids).unwrap_or_default();
    let words = split_words(&text_tokens, &decode);
    let mut timed = time_words(words, &path, &result.text_token_probs);
    merge_punctuation(&mut timed);
    Ok(distribute(timed, &per_segment))
}

/// Tokens grouped into words: a word starts at a token whose text starts with a space, or
/// that is punctuation; tokens that split a multi-byte character stay together.
pub fn split_words(ids: &[usize], decode: &dyn Fn(&[usize]) -> String) -> Vec<(String, Vec<usize>)> {
    let mut subwords: Vec<(String, Vec<usize>)> = Vec::new();
    let mut current = Vec::new();
    for &id in ids {
        current.push(id);
        let text = decode(&current);
        if !text.contains('\u{fffd}') {
            subwords.push((text, std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        subwords.push((decode(&current), current));
    }
    let mut words: Vec<(String, Vec<usize>)> = Vec::new();
    for (text, ids) in subwords {
        let trimmed = text.trim();
        let punctuation = trimmed.chars().count() == 1 && trimmed.chars().all(|c| c.is_ascii_punctuation());
        match words.last_mut() {
            Some(last) if !text.starts_with(' ') && !punctuation => {
                last.0.push_str(&text);
                last.1.extend(ids);
            }
            _ => words.push((text, ids)),
        }
    }
    words
}

/// Start and end of each word from the warping path `(token row, attention step)`, whose
/// row 0 is `<|notimestamps|>`: a word starts when the path reaches the row that predicts
/// its first token and ends where the next word starts.
pub fn time_words(words: Vec<(String, Vec<usize>)>, path: &[(i64, i64)], probs: &[f32]) -> Vec<TimedWord> {
    let mut jump_times = Vec::new();
    let mut last_row = None;
    for &(row, step) in path {
        if last_row != Some(row) {
            jump_times.push(step as f64 / STEPS_PER_SECOND);
            last_row = Some(row);
        }
    }
    let time_at = |index: usize| jump_times.get(index).or(jump_times.last()).copied().unwrap_or(0.0);
    let mut boundary = 0;
    words
        .into_iter()
        .map(|(text, tokens)| {
            let (first, last) = (boundary, boundary + tokens.len());
            boundary = last;
            let token_probs = &probs[first.min(probs.len())..last.min(probs.len())];
            let probability =
                token_probs.iter().map(|p| *p as f64).sum::<f64>() / token_probs.len().max(1) as f64;
            TimedWord { text, tokens, start: time_at(first), end: time_at(last), probability }
        })
        .collect()
}

/// Opening quotes and brackets join the next word; closing punctuation the previous one.
pub fn merge_punctuation(words: &mut Vec<TimedWord>) {
    for i in (0..words.len().saturating_sub(1)).rev() {
        let trimmed = words[i].text.trim();
        if words[i].text.starts_with(' ')
            && !trimmed.is_empty()
            && trimmed.chars().all(|c| PREPENDED.contains(c))
        {
            let previous = std::mem::replace(&mut words[i], empty_word());
            words[i + 1].text.insert_str(0, &previous.text);
            words[i + 1].tokens.splice(0..0, previous.tokens);
        }
    }
    for i in 1..words.len() {
        let text = words[i].text.as_str();
        if !text.is_empty() && text.chars().all(|c| APPENDED.contains(c)) {
            if let Some(target) = (0..i).rev().find(|j| !words[*j].text.is_empty()) {
                let following = std::mem::replace(&mut words[i], empty_word());
                words[target].text.push_str(&following.text);
                words[target].tokens.extend(following.tokens);
            }
        }
    }
    words.retain(|w| !w.text.is_empty() || !w.tokens.is_empty());
}

fn empty_word() -> TimedWord {
    TimedWord { text: String::new(), tokens: Vec::new(), start: 0.0, end: 0.0, probability: 0.0 }
}

/// Hands words to segments in order, by how many text tokens each segment has.
fn distribute(words: Vec<TimedWord>, per_segment: &[Vec<usize>]) -> Vec<Vec<TimedWord>> {
    let mut words = words.into_iter().peekable();
    per_segment
        .iter()
        .map(|segment_tokens| {
            let mut taken = 0;
            let mut out = Vec::new();
            while taken < segment_tokens.len() {
                let Some(word) = words.next() else { break };
                taken += word.tokens.len();
                out.push(word);
            }
            out
        })
        .collect()
}

#[cfg(test)]
#[path = "words_tests.rs"]
mod tests;
