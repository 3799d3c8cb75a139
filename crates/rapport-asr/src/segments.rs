//! Cutting one window's decoded tokens into timed segments, and deciding where the next
//! window starts: the timestamp-token bookkeeping of Whisper's long-form transcription.

/// Seconds per timestamp token step (`<|0.00|>`, `<|0.02|>`, …).
pub const TIME_PRECISION: f64 = 0.02;
/// Mel frames per timestamp step: the encoder halves the 100 frames per second.
pub const FRAMES_PER_TIMESTAMP: usize = 2;

/// One timed run of tokens inside a window, times in seconds from the window's start.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSegment {
    pub start: f64,
    pub end: f64,
    /// The segment's tokens, its opening and closing timestamps included (they go into the
    /// next window's prompt, as Whisper's own transcription does).
    pub tokens: Vec<usize>,
}

/// The segments of a window and how many frames the next window moves on.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSplit {
    pub segments: Vec<WindowSegment>,
    pub advance_frames: usize,
}

/// Splits `tokens` (as the decoder returned them, end-of-text excluded) at each pair of
/// consecutive timestamps. When the window ends inside a segment (the text runs past the
/// last complete pair), the next window starts at the end of the last complete segment so
/// the cut-off speech is decoded again whole; when it ends on a lone timestamp, everything up
/// to the window's end was heard and the next window starts after it.
pub fn split_by_timestamps(tokens: &[usize], timestamp_begin: usize, window_frames: usize) -> WindowSplit {
    let is_timestamp = |id: usize| id >= timestamp_begin;
    let seconds = |id: usize| (id - timestamp_begin) as f64 * TIME_PRECISION;
    let window_seconds = window_frames as f64 * TIME_PRECISION / FRAMES_PER_TIMESTAMP as f64;
    let n = tokens.len();
    let single_timestamp_ending = n >= 2 && !is_timestamp(tokens[n - 2]) && is_timestamp(tokens[n - 1]);
    let mut cuts: Vec<usize> =
        (1..n).filter(|&i| is_timestamp(tokens[i]) && is_timestamp(tokens[i - 1])).collect();

    if cuts.is_empty() {
        // No complete pair: one segment for the whole window, ending at the last timestamp
        // if the decoder gave one after the start.
        let end = tokens
            .iter()
            .rev()
            .find(|id| is_timestamp(**id))
            .filter(|id| **id != timestamp_begin)
            .map_or(window_seconds, |id| seconds(*id));
        let segment = WindowSegment { start: 0.0, end, tokens: tokens.to_vec() };
        return WindowSplit { segments: vec![segment], advance_frames: window_frames };
    }

    if single_timestamp_ending {
        cuts.push(n);
    }
    let mut segments = Vec::with_capacity(cuts.len());
    let mut last_cut = 0;
    for &cut in &cuts {
        let slice = &tokens[last_cut..cut];
        let start = if is_timestamp(slice[0]) { seconds(slice[0]) } else { 0.0 };
        let end = if is_timestamp(slice[slice.len() - 1]) { seconds(slice[slice.len() - 1]) } else { start };
        segments.push(WindowSegment { start, end, tokens: slice.to_vec() });
        last_cut = cut;
    }
    let advance_frames = if single_timestamp_ending {
        window_frames
    } else {
        let last_timestamp = tokens[last_cut - 1];
        ((last_timestamp - timestamp_begin) * FRAMES_PER_TIMESTAMP).min(window_frames)
    };
    // A window that yields segments but no progress (all at 0.00) would be decoded forever.
    let advance_frames = if advance_frames == 0 { window_frames } else { advance_frames };
    WindowSplit { segments, advance_frames }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TS: usize = 1000;
    fn ts(seconds: f64) -> usize {
        TS + (seconds / TIME_PRECISION).round() as usize
    }

    fn check(tokens: &[usize], window_frames: usize, expected: &[(f64, f64, usize)], advance: usize) {
        let split = split_by_timestamps(tokens, TS, window_frames);
        let got: Vec<(f64, f64, usize)> =
            split.segments.iter().map(|s| (s.start, s.end, s.tokens.len())).collect();
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for (g, e) in got.iter().zip(expected) {
            assert!(
                (g.0 - e.0).abs() < 1e-9 && (g.1 - e.1).abs() < 1e-9 && g.2 == e.2,
                "{got:?} != {expected:?}"
            );
        }
        assert_eq!(split.advance_frames, advance);
    }

    #[test]
    fn complete_pairs_then_cut_off_text_seek_to_last_complete_end() {
        // <0.00> a b <2.00><2.40> c d <5.00><5.20> e f   (window ran out mid-sentence)
        let tokens = [ts(0.0), 1, 2, ts(2.0), ts(2.4), 3, 4, ts(5.0), ts(5.2), 5, 6];
        check(&tokens, 3000, &[(0.0, 2.0, 4), (2.4, 5.0, 4)], 500);
    }

    #[test]
    fn single_timestamp_ending_consumes_the_window() {
        let tokens = [ts(0.0), 1, 2, ts(2.0), ts(2.4), 3, ts(7.5)];
        check(&tokens, 3000, &[(0.0, 2.0, 4), (2.4, 7.5, 3)], 3000);
    }

    #[test]
    fn no_pairs_gives_one_segment_to_last_timestamp() {
        check(&[ts(0.0), 1, 2, 3, ts(4.2)], 3000, &[(0.0, 4.2, 5)], 3000);
        check(&[1, 2, 3], 1200, &[(0.0, 12.0, 3)], 1200);
        check(&[ts(0.0), 1, 2], 3000, &[(0.0, 30.0, 3)], 3000);
    }

    #[test]
    fn never_stalls() {
        check(&[ts(0.0), ts(0.0), 1], 3000, &[(0.0, 0.0, 1)], 3000);
    }
}
