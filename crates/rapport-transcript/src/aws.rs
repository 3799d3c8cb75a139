//! Amazon Transcribe batch output import. Words come from `results.items` (punctuation
//! items join the word before them); who spoke comes from `speaker_labels.segments`
//! (`spk_0` → `Speaker 0`), from `channel_labels.channels` (`ch_0` → channel 0), or from
//! labels on the items themselves in newer output. Without labels, `audio_segments`
//! give the utterances when present, else the stream is cut at sentence ends.

use std::collections::HashMap;

use crate::json_walk::{check_span, parse_json_text, Node};
use crate::timestamp::seconds_to_millis;
use crate::turns::{group_words_per_channel, speaker_name, Cut, LabelledWord};
use crate::{Format, Transcript, TranscriptError, Word};

pub(crate) fn parse_aws_transcribe(content: &str) -> Result<Transcript, TranscriptError> {
    let value = parse_json_text(content)?;
    let root = Node::root(&value);
    if let Some(status) = root.get("status") {
        let status_text = status.string()?;
        if status_text != "COMPLETED" {
            return Err(status.error(format!(
                "the job's status is `{status_text}`, not `COMPLETED`; only finished jobs can be imported"
            )));
        }
    }
    let results = root.field("results")?;
    let (words, cut) = if let Some(channel_labels) = results.get("channel_labels") {
        // One party per channel: nothing inside a channel marks where a turn ends.
        (read_channels(&channel_labels)?, Cut::AtTurnsAndSentences)
    } else {
        let mut words = read_items(&results.field("items")?, None)?;
        let labelled = if let Some(speaker_labels) = results.get("speaker_labels") {
            apply_speaker_segments(&mut words, &speaker_labels)?;
            true
        } else if let Some(audio_segments) = results.get("audio_segments") {
            apply_audio_segments(&mut words, &audio_segments)?
        } else {
            words.iter().any(|word| word.labelled.speaker.is_some())
        };
        let cut = if labelled { Cut::AtTurns } else { Cut::AtTurnsAndSentences };
        (words, cut)
    };
    let words = words.into_iter().map(|word| word.labelled).collect();
    let utterances = group_words_per_channel(words, cut);
    Ok(Transcript { utterances, duration_s: None, source_format: Some(Format::AwsTranscribeJson) })
}

/// A word plus what links it back to its item: times (speaker segments) or id (audio segments).
struct ItemWord {
    labelled: LabelledWord,
    time_key: (u64, u64),
    item_id: Option<u64>,
}

/// Reads pronunciation items as words and glues punctuation onto the word before it.
fn read_items(items: &Node<'_>, channel: Option<u32>) -> Result<Vec<ItemWord>, TranscriptError> {
    let mut words: Vec<ItemWord> = Vec::new();
    for item in items.array()? {
        let alternatives = item.field("alternatives")?;
        let alternative = alternatives
            .array()?
            .into_iter()
            .next()
            .ok_or_else(|| alternatives.error("expected at least one alternative"))?;
        let content = alternative.field("content")?.string()?;
        let kind = item.field("type")?;
        match kind.string()? {
            "punctuation" => {
                // A leading punctuation mark has no word to join; it carries no speech.
                if let Some(previous) = words.last_mut() {
                    previous.labelled.word.text.push_str(content);
                }
            }
            "pronunciation" => {
                let start = item.field("start_time")?.number_like()?;
                let end = item.field("end_time")?.number_like()?;
                check_span(&item, start, end)?;
                let confidence = match alternative.get("confidence") {
                    Some(confidence) => Some(confidence.number_like()? as f32),
                    None => None,
                };
                let speaker = match item.get("speaker_label") {
                    Some(label) => Some(speaker_name(label.string()?)),
                    None => None,
                };
                let item_channel = match item.get("channel_label") {
                    Some(label) => Some(channel_number(&label)?),
                    None => channel,
                };
                let item_id = match item.get("id") {
                    Some(id) => Some(u64::from(id.index()?)),
                    None => None,
                };
                words.push(ItemWord {
                    labelled: LabelledWord {
                        word: Word { text: content.to_string(), start, end, confidence },
                        speaker,
                        channel: item_channel,
                        segment: None,
                    },
                    time_key: (seconds_to_millis(start), seconds_to_millis(end)),
                    item_id,
                });
            }
            other => {
                return Err(kind.error(format!("expected `pronunciation` or `punctuation`, found `{other}`")))
            }
        }
    }
    Ok(words)
}

/// `ch_1` → 1.
fn channel_number(label: &Node<'_>) -> Result<u32, TranscriptError> {
    let text = label.string()?;
    text.strip_prefix("ch_")
        .and_then(|number| number.parse().ok())
        .ok_or_else(|| label.error(format!("expected a channel label like `ch_0`, found `{text}`")))
}

/// Channel identification: each channel lists its own items.
fn read_channels(channel_labels: &Node<'_>) -> Result<Vec<ItemWord>, TranscriptError> {
    let mut words = Vec::new();
    for channel in channel_labels.field("channels")?.array()? {
        let number = channel_number(&channel.field("channel_label")?)?;
        let mut channel_words = read_items(&channel.field("items")?, Some(number))?;
        for word in &mut channel_words {
            word.labelled.speaker = Some(format!("Channel {number}"));
        }
        words.extend(channel_words);
    }
    Ok(words)
}

/// Classic speaker diarization: segments list their words by time; each segment is a turn.
fn apply_speaker_segments(words: &mut [ItemWord], speaker_labels: &Node<'_>) -> Result<(), TranscriptError> {
    let mut speaker_by_time: HashMap<(u64, u64), (usize, String)> = HashMap::new();
    for (segment_index, segment) in speaker_labels.field("segments")?.array()?.into_iter().enumerate() {
        let segment_speaker = speaker_name(segment.field("speaker_label")?.string()?);
        for item in segment.field("items")?.array()? {
            let start = item.field("start_time")?.number_like()?;
            let end = item.field("end_time")?.number_like()?;
            let speaker = match item.get("speaker_label") {
                Some(label) => speaker_name(label.string()?),
                None => segment_speaker.clone(),
            };
            speaker_by_time
                .insert((seconds_to_millis(start), seconds_to_millis(end)), (segment_index, speaker));
        }
    }
    for word in words {
        if let Some((segment_index, speaker)) = speaker_by_time.get(&word.time_key) {
            word.labelled.segment = Some(*segment_index);
            word.labelled.speaker = Some(speaker.clone());
        }
    }
    Ok(())
}

/// Newer output: `audio_segments` name their items by id. Returns whether any matched.
fn apply_audio_segments(words: &mut [ItemWord], audio_segments: &Node<'_>) -> Result<bool, TranscriptError> {
    let mut segment_by_item: HashMap<u64, usize> = HashMap::new();
    for (segment_index, segment) in audio_segments.array()?.into_iter().enumerate() {
        for item_id in segment.field("items")?.array()? {
            segment_by_item.insert(u64::from(item_id.index()?), segment_index);
        }
    }
    let mut matched = false;
    for word in words {
        let segment = word.item_id.and_then(|id| segment_by_item.get(&id).copied());
        matched |= segment.is_some();
        word.labelled.segment = segment;
    }
    Ok(matched)
}
