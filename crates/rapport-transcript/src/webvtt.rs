//! WebVTT import: Zoom (`Name: text` cues), Teams (`<v Name>` voice tags) and plain
//! captions such as Whisper's. Consecutive cues of one speaker are kept apart, not merged:
//! cue boundaries are what the source wrote, and merging is a presentation choice.

use crate::cue_text::Markup;
use crate::cues::{
    check_text_line, cue_utterance, parse_timing_line, shorten, split_blocks, split_lines, CueOrder,
    TimingStyle,
};
use crate::timestamp::parse_timestamp;
use crate::{Format, Transcript, TranscriptError};

pub(crate) fn parse_webvtt(content: &str) -> Result<Transcript, TranscriptError> {
    let lines = split_lines(content);
    let header = lines.first().copied().unwrap_or("");
    let header_ok =
        header.strip_prefix("WEBVTT").is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    if !header_ok {
        return Err(TranscriptError::at_line(
            1,
            format!("expected `WEBVTT` on the first line, found `{}`", shorten(header)),
        ));
    }
    let mut blocks = split_blocks(&lines, 1).into_iter();
    // The first block is the header line plus optional header metadata lines.
    blocks.next();

    let mut utterances = Vec::new();
    let mut order = CueOrder::new(TimingStyle::WebVtt);
    for block in blocks {
        let first = block.lines[0];
        if is_block_keyword(first, "NOTE")
            || is_block_keyword(first, "STYLE")
            || is_block_keyword(first, "REGION")
        {
            continue;
        }
        // A cue may start with an identifier line; the timing line is the first or second.
        let timing_index = match block.lines.iter().position(|line| line.contains("-->")) {
            Some(index @ (0 | 1)) => index,
            _ => {
                // Point at the line that should have been the timing line: the first, unless
                // the first is a cue identifier (anything not starting with a timestamp).
                let starts_with_time =
                    first.split_whitespace().next().is_some_and(|word| parse_timestamp(word).is_some());
                let index = if starts_with_time || block.lines.len() == 1 { 0 } else { 1 };
                return Err(TranscriptError::at_line(
                    block.line_number(index),
                    format!(
                        "expected a cue timing line like `00:00:01.000 --> 00:00:02.000`, found `{}`",
                        shorten(block.lines[index])
                    ),
                ));
            }
        };
        let timing_line = block.line_number(timing_index);
        let (start, end) = parse_timing_line(block.lines[timing_index], timing_line, TimingStyle::WebVtt)?;
        order.check(start, end, timing_line)?;
        let text_lines = &block.lines[timing_index + 1..];
        for (offset, line) in text_lines.iter().enumerate() {
            check_text_line(line, timing_line + 1 + offset)?;
        }
        utterances.extend(cue_utterance(start, end, text_lines, Markup::WebVtt));
    }
    Ok(Transcript { utterances, duration_s: None, source_format: Some(Format::WebVtt) })
}

/// `NOTE`, `STYLE` and `REGION` blocks start with the keyword alone or followed by a space.
fn is_block_keyword(line: &str, keyword: &str) -> bool {
    line.strip_prefix(keyword).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}
