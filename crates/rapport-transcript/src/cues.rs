//! What WebVTT and SRT share: blank-line separated blocks, `start --> end` timing lines,
//! time checks that name the offending line, and turning cue text into an utterance.

use crate::cue_text::{parse_cue_text, split_speaker_prefix, Markup};
use crate::timestamp::{format_timestamp, parse_timestamp};
use crate::{TranscriptError, Utterance};

/// A run of non-blank lines, with the 1-based number of its first line.
#[derive(Debug)]
pub(crate) struct Block<'a> {
    pub(crate) first_line: usize,
    pub(crate) lines: Vec<&'a str>,
}

impl Block<'_> {
    pub(crate) fn line_number(&self, index: usize) -> usize {
        self.first_line + index
    }
}

/// Lines of the input without line endings (LF or CRLF) and without a byte-order mark.
pub(crate) fn split_lines(content: &str) -> Vec<&str> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    content.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect()
}

/// Groups lines into blocks. Whitespace-only lines count as blank: Zoom ends files with
/// lines of spaces, and nothing meaningful is ever written on such a line.
pub(crate) fn split_blocks<'a>(lines: &[&'a str], first_line: usize) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut current: Option<Block<'a>> = None;
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            blocks.extend(current.take());
        } else {
            current
                .get_or_insert_with(|| Block { first_line: first_line + index, lines: Vec::new() })
                .lines
                .push(line);
        }
    }
    blocks.extend(current);
    blocks
}

/// The timestamp shape each format expects, for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TimingStyle {
    WebVtt,
    Srt,
}

impl TimingStyle {
    fn timestamp_shape(self) -> &'static str {
        match self {
            TimingStyle::WebVtt => "HH:MM:SS.mmm",
            TimingStyle::Srt => "HH:MM:SS,mmm",
        }
    }

    fn separator(self) -> char {
        match self {
            TimingStyle::WebVtt => '.',
            TimingStyle::Srt => ',',
        }
    }
}

/// Reads `start --> end [settings]`; WebVTT cue settings after the end time are ignored.
pub(crate) fn parse_timing_line(
    line: &str,
    line_number: usize,
    style: TimingStyle,
) -> Result<(f64, f64), TranscriptError> {
    let Some((start_text, after_arrow)) = line.split_once("-->") else {
        return Err(TranscriptError::at_line(
            line_number,
            format!("expected a timing line `start --> end`, found `{}`", shorten(line)),
        ));
    };
    let end_text = after_arrow.split_whitespace().next().unwrap_or("");
    let read = |text: &str| {
        parse_timestamp(text).ok_or_else(|| {
            TranscriptError::at_line(
                line_number,
                format!("timestamp `{}` is not {}", shorten(text), style.timestamp_shape()),
            )
        })
    };
    Ok((read(start_text.trim())?, read(end_text)?))
}

/// Checks one cue's times against themselves and the cue before it.
#[derive(Debug)]
pub(crate) struct CueOrder {
    style: TimingStyle,
    previous_start: f64,
}

impl CueOrder {
    pub(crate) fn new(style: TimingStyle) -> Self {
        CueOrder { style, previous_start: 0.0 }
    }

    pub(crate) fn check(&mut self, start: f64, end: f64, line_number: usize) -> Result<(), TranscriptError> {
        let show = |seconds: f64| format_timestamp(seconds, self.style.separator());
        if end < start {
            return Err(TranscriptError::at_line(
                line_number,
                format!("cue ends at {} before it starts at {}", show(end), show(start)),
            ));
        }
        // Overlapping cues are fine (people talk over each other); going back in time is not.
        if start < self.previous_start {
            return Err(TranscriptError::at_line(
                line_number,
                format!(
                    "cue starts at {}, before the previous cue's start {}; cues must be in time order",
                    show(start),
                    show(self.previous_start)
                ),
            ));
        }
        self.previous_start = start;
        Ok(())
    }
}

/// Text lines must not hold `-->`: it means a blank line is missing before a cue.
pub(crate) fn check_text_line(line: &str, line_number: usize) -> Result<(), TranscriptError> {
    if line.contains("-->") {
        return Err(TranscriptError::at_line(
            line_number,
            "`-->` inside cue text; is a blank line missing before this cue?",
        ));
    }
    Ok(())
}

/// Builds the utterance for a cue, or `None` when no text is left after markup.
pub(crate) fn cue_utterance(start: f64, end: f64, text_lines: &[&str], markup: Markup) -> Option<Utterance> {
    let cue = parse_cue_text(&text_lines.join("\n"), markup);
    let (speaker, text) = match cue.voice {
        Some(voice) => (Some(voice), cue.text),
        None => match split_speaker_prefix(&cue.text) {
            Some((name, rest)) => (Some(name.to_string()), rest.to_string()),
            None => (None, cue.text),
        },
    };
    if text.is_empty() {
        return None;
    }
    let mut utterance = Utterance::new(start, end, text);
    utterance.speaker = speaker;
    Some(utterance)
}

/// Keeps quoted input short in messages so one bad line cannot flood a log.
pub(crate) fn shorten(text: &str) -> String {
    const LIMIT: usize = 40;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(LIMIT).collect::<String>())
    }
}
