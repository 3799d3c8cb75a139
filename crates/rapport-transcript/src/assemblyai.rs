//! AssemblyAI v2 transcript import: `utterances[]` with speaker letters, times in
//! milliseconds, words with confidence; without speaker labels, the top-level `words`.

use crate::json_walk::{check_span, parse_json_text, Node};
use crate::turns::{group_words_per_channel, sort_by_start, speaker_name, Cut, LabelledWord};
use crate::{Format, Transcript, TranscriptError, Utterance, Word};

pub(crate) fn parse_assemblyai(content: &str) -> Result<Transcript, TranscriptError> {
    let value = parse_json_text(content)?;
    let root = Node::root(&value);
    if let Some(status) = root.get("status") {
        let status = status.string()?;
        if status != "completed" {
            return Err(root.field("status")?.error(format!(
                "the transcript's status is `{status}`, not `completed`; only finished transcripts can be imported"
            )));
        }
    }
    let utterances = if let Some(utterances) = root.get("utterances") {
        read_utterances(&utterances)?
    } else if let Some(words) = root.get("words") {
        let mut labelled = Vec::new();
        for word in words.array()? {
            labelled.push(read_labelled_word(&word)?);
        }
        let has_speakers = labelled.iter().any(|word| word.speaker.is_some());
        let cut = if has_speakers { Cut::AtTurns } else { Cut::AtTurnsAndSentences };
        group_words_per_channel(labelled, cut)
    } else {
        return Err(root.error("missing both `utterances` and `words`; nothing to import"));
    };
    let duration_s = match root.get("audio_duration") {
        Some(duration) => Some(duration.number()?),
        None => None,
    };
    Ok(Transcript { utterances, duration_s, source_format: Some(Format::AssemblyAiJson) })
}

fn read_utterances(utterances: &Node<'_>) -> Result<Vec<Utterance>, TranscriptError> {
    let mut result = Vec::new();
    for node in utterances.array()? {
        let start = millis(&node.field("start")?)?;
        let end = millis(&node.field("end")?)?;
        check_span(&node, start, end)?;
        let mut utterance = Utterance::new(start, end, node.field("text")?.string()?.trim());
        if let Some(speaker) = node.get("speaker") {
            utterance.speaker = Some(speaker_name(speaker.string()?));
        }
        if let Some(channel) = node.get("channel") {
            utterance.channel = Some(channel_from_one(&channel)?);
        }
        if let Some(words) = node.get("words") {
            for word in words.array()? {
                utterance.words.push(read_labelled_word(&word)?.word);
            }
        }
        if !utterance.text.is_empty() {
            result.push(utterance);
        }
    }
    // Multichannel transcripts may list a channel's turns together; a call reads in time order.
    sort_by_start(&mut result);
    Ok(result)
}

fn read_labelled_word(node: &Node<'_>) -> Result<LabelledWord, TranscriptError> {
    let start = millis(&node.field("start")?)?;
    let end = millis(&node.field("end")?)?;
    check_span(node, start, end)?;
    let confidence = match node.get("confidence") {
        Some(confidence) => Some(confidence.number()? as f32),
        None => None,
    };
    let speaker = match node.get("speaker") {
        Some(speaker) => Some(speaker_name(speaker.string()?)),
        None => None,
    };
    let channel = match node.get("channel") {
        Some(channel) => Some(channel_from_one(&channel)?),
        None => None,
    };
    Ok(LabelledWord {
        word: Word { text: node.field("text")?.string()?.to_string(), start, end, confidence },
        speaker,
        channel,
        segment: None,
    })
}

/// AssemblyAI times are whole milliseconds.
fn millis(node: &Node<'_>) -> Result<f64, TranscriptError> {
    Ok(node.number()? / 1000.0)
}

/// AssemblyAI counts channels from 1 (`"channel": "1"`); the model counts from 0 like AWS
/// and Deepgram, so that `rep_channel` means the same channel whatever the source.
fn channel_from_one(node: &Node<'_>) -> Result<u32, TranscriptError> {
    node.index()?
        .checked_sub(1)
        .ok_or_else(|| node.error("expected a channel number from 1 (AssemblyAI counts channels from 1)"))
}
