//! SubRip (SRT) import: numbered blocks, `00:00:01,000 --> 00:00:02,000`, multi-line text.
//! Tolerates a missing index line, CRLF line endings and `.` as the millisecond separator.

use crate::cue_text::Markup;
use crate::cues::{
    check_text_line, cue_utterance, parse_timing_line, shorten, split_blocks, split_lines, CueOrder,
    TimingStyle,
};
use crate::{Format, Transcript, TranscriptError};

pub(crate) fn parse_srt(content: &str) -> Result<Transcript, TranscriptError> {
    let lines = split_lines(content);
    let mut utterances = Vec::new();
    let mut order = CueOrder::new(TimingStyle::Srt);
    for block in split_blocks(&lines, 1) {
        let first = block.lines[0];
        let has_index = !first.trim().is_empty() && first.trim().bytes().all(|b| b.is_ascii_digit());
        let timing_index = if has_index { 1 } else { 0 };
        let Some(timing_text) = block.lines.get(timing_index) else {
            return Err(TranscriptError::at_line(
                block.first_line,
                format!("subtitle {} has no timing line", first.trim()),
            ));
        };
        let timing_line = block.line_number(timing_index);
        if !timing_text.contains("-->") {
            let expected = if has_index {
                "a timing line like `00:00:01,000 --> 00:00:02,000`"
            } else {
                "a subtitle number or a timing line like `00:00:01,000 --> 00:00:02,000`"
            };
            return Err(TranscriptError::at_line(
                timing_line,
                format!("expected {expected}, found `{}`", shorten(timing_text)),
            ));
        }
        let (start, end) = parse_timing_line(timing_text, timing_line, TimingStyle::Srt)?;
        order.check(start, end, timing_line)?;
        let text_lines = &block.lines[timing_index + 1..];
        for (offset, line) in text_lines.iter().enumerate() {
            check_text_line(line, timing_line + 1 + offset)?;
        }
        utterances.extend(cue_utterance(start, end, text_lines, Markup::Srt));
    }
    Ok(Transcript { utterances, duration_s: None, source_format: Some(Format::Srt) })
}
