//! Whisper JSON import: the openai-whisper CLI's `{"segments": [...]}` and faster-whisper
//! or WhisperX dumps (a bare array of segments, `word`/`probability` word timings,
//! an optional `speaker` per segment).

use crate::json_walk::{check_span, parse_json_text, Node, StartOrder};
use crate::{Format, Transcript, TranscriptError, Utterance, Word};

pub(crate) fn parse_whisper(content: &str) -> Result<Transcript, TranscriptError> {
    let value = parse_json_text(content)?;
    let root = Node::root(&value);
    let segments = if root.value.is_array() { root.array()? } else { root.field("segments")?.array()? };
    let mut utterances = Vec::new();
    let mut order = StartOrder::default();
    for segment in segments {
        let start = segment.field("start")?.number()?;
        let end = segment.field("end")?.number()?;
        check_span(&segment, start, end)?;
        order.check(&segment, start)?;
        let text = segment.field("text")?.string()?.trim();
        if text.is_empty() {
            continue;
        }
        let mut utterance = Utterance::new(start, end, text);
        if let Some(speaker) = segment.get("speaker") {
            utterance.speaker = Some(speaker.string()?.to_string());
        }
        if let Some(words) = segment.get("words") {
            for word in words.array()? {
                utterance.words.extend(read_word(&word)?);
            }
        }
        utterances.push(utterance);
    }
    Ok(Transcript { utterances, duration_s: None, source_format: Some(Format::WhisperJson) })
}

/// A word timing; `None` for words WhisperX could not align (they carry no times).
fn read_word(word: &Node<'_>) -> Result<Option<Word>, TranscriptError> {
    let text = match word.get("word") {
        Some(text) => text.string()?,
        None => word.field("text")?.string()?,
    };
    let (Some(start), Some(end)) = (word.get("start"), word.get("end")) else {
        return Ok(None);
    };
    let (start, end) = (start.number()?, end.number()?);
    check_span(word, start, end)?;
    let confidence = match word.get("probability").or_else(|| word.get("score")) {
        Some(probability) => Some(probability.number()? as f32),
        None => None,
    };
    Ok(Some(Word { text: text.trim().to_string(), start, end, confidence }))
}
