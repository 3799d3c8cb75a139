//! Deepgram pre-recorded API response import: `results.utterances` when the request
//! asked for them, else the words of `results.channels[].alternatives[0]` grouped into
//! turns by `speaker` (diarize) and channel (multichannel).

use crate::json_walk::{check_span, parse_json_text, Node};
use crate::turns::{group_words_per_channel, sort_by_start, speaker_name, Cut, LabelledWord};
use crate::{Format, Transcript, TranscriptError, Utterance, Word};

pub(crate) fn parse_deepgram(content: &str) -> Result<Transcript, TranscriptError> {
    let value = parse_json_text(content)?;
    let root = Node::root(&value);
    let results = root.field("results")?;
    let metadata = root.get("metadata");
    let channel_count = match metadata.as_ref().and_then(|metadata| metadata.get("channels")) {
        Some(channels) => channels.index()?,
        None => match results.get("channels") {
            Some(channels) => u32::try_from(channels.array()?.len()).unwrap_or(u32::MAX),
            None => 1,
        },
    };
    let labels = SpeakerLabels { multichannel: channel_count > 1 };
    let utterances = match results.get("utterances") {
        Some(utterances) => read_utterances(&utterances, labels)?,
        None => read_channel_words(&results.field("channels")?, labels)?,
    };
    let duration_s = match metadata.and_then(|metadata| metadata.get("duration")) {
        Some(duration) => Some(duration.number()?),
        None => None,
    };
    Ok(Transcript { utterances, duration_s, source_format: Some(Format::DeepgramJson) })
}

/// How to name who spoke: the diarized speaker, else the channel on multichannel audio.
#[derive(Debug, Clone, Copy)]
struct SpeakerLabels {
    multichannel: bool,
}

impl SpeakerLabels {
    /// Deepgram writes `channel: 0` on mono audio too; a channel only tells parties apart
    /// when there are several, and keeping it would make `rep_channel: 0` claim everyone.
    fn channel(self, channel: Option<u32>) -> Option<u32> {
        channel.filter(|_| self.multichannel)
    }

    /// Deepgram diarizes each channel on its own, so on multichannel audio `speaker 0` of
    /// two channels are two people and the channel is part of the name.
    fn name(self, speaker: Option<u32>, channel: Option<u32>) -> Option<String> {
        match (speaker, channel) {
            (Some(speaker), Some(channel)) if self.multichannel => {
                Some(format!("Channel {channel} Speaker {speaker}"))
            }
            (Some(speaker), _) => Some(speaker_name(&speaker.to_string())),
            (None, Some(channel)) if self.multichannel => Some(format!("Channel {channel}")),
            _ => None,
        }
    }
}

fn read_utterances(utterances: &Node<'_>, labels: SpeakerLabels) -> Result<Vec<Utterance>, TranscriptError> {
    let mut result = Vec::new();
    for node in utterances.array()? {
        let start = node.field("start")?.number()?;
        let end = node.field("end")?.number()?;
        check_span(&node, start, end)?;
        let channel = labels.channel(optional_index(&node, "channel")?);
        let speaker = optional_index(&node, "speaker")?;
        let mut utterance = Utterance::new(start, end, node.field("transcript")?.string()?.trim());
        utterance.channel = channel;
        utterance.speaker = labels.name(speaker, channel);
        if let Some(words) = node.get("words") {
            for word in words.array()? {
                utterance.words.push(read_word(&word)?.0);
            }
        }
        if !utterance.text.is_empty() {
            result.push(utterance);
        }
    }
    // Multichannel responses list utterances channel by channel; a call reads in time order.
    sort_by_start(&mut result);
    Ok(result)
}

fn read_channel_words(channels: &Node<'_>, labels: SpeakerLabels) -> Result<Vec<Utterance>, TranscriptError> {
    let mut labelled = Vec::new();
    let mut diarized = false;
    for (channel_index, channel) in channels.array()?.into_iter().enumerate() {
        let channel_number = u32::try_from(channel_index).unwrap_or(u32::MAX);
        let Some(best) = channel.field("alternatives")?.array()?.into_iter().next() else {
            continue;
        };
        for word in best.field("words")?.array()? {
            let (word, speaker) = read_word(&word)?;
            diarized |= speaker.is_some();
            labelled.push(LabelledWord {
                word,
                speaker: labels.name(speaker, Some(channel_number)),
                channel: labels.channel(Some(channel_number)),
                segment: None,
            });
        }
    }
    // Without diarization only sentences and pauses mark where an utterance ends.
    let cut = if diarized { Cut::AtTurns } else { Cut::AtTurnsAndSentences };
    Ok(group_words_per_channel(labelled, cut))
}

/// A word (punctuated form when Deepgram gives one) and its diarized speaker.
fn read_word(node: &Node<'_>) -> Result<(Word, Option<u32>), TranscriptError> {
    let text = match node.get("punctuated_word") {
        Some(punctuated) => punctuated.string()?,
        None => node.field("word")?.string()?,
    };
    let start = node.field("start")?.number()?;
    let end = node.field("end")?.number()?;
    check_span(node, start, end)?;
    let confidence = match node.get("confidence") {
        Some(confidence) => Some(confidence.number()? as f32),
        None => None,
    };
    let word = Word { text: text.to_string(), start, end, confidence };
    Ok((word, optional_index(node, "speaker")?))
}

fn optional_index(node: &Node<'_>, key: &str) -> Result<Option<u32>, TranscriptError> {
    node.get(key).map(|value| value.index()).transpose()
}
