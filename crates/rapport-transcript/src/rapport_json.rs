//! Rapport's own JSON (`{"utterances":[{"speaker","role","start","end","text"}…]}`), as the
//! standalone transcriber and `serde_json::to_string(&transcript)` write it. Read by hand
//! rather than through serde so that errors name the JSON path of the bad value.

use crate::json_walk::{check_span, parse_json_text, Node, StartOrder};
use crate::{Format, Role, Transcript, TranscriptError, Utterance, Word};

pub(crate) fn parse_rapport_json(content: &str) -> Result<Transcript, TranscriptError> {
    let value = parse_json_text(content)?;
    let root = Node::root(&value);
    let mut utterances = Vec::new();
    let mut order = StartOrder::default();
    for node in root.field("utterances")?.array()? {
        let start = node.field("start")?.number()?;
        let end = node.field("end")?.number()?;
        check_span(&node, start, end)?;
        order.check(&node, start)?;
        let text = node.field("text")?.string()?.trim();
        // Like every importer, no empty utterances: they carry nothing to analyse.
        if text.is_empty() {
            continue;
        }
        let mut utterance = Utterance::new(start, end, text);
        if let Some(speaker) = node.get("speaker") {
            utterance.speaker = Some(speaker.string()?.to_string());
        }
        if let Some(role) = node.get("role") {
            utterance.role = read_role(&role)?;
        }
        if let Some(channel) = node.get("channel") {
            utterance.channel = Some(channel.index()?);
        }
        if let Some(words) = node.get("words") {
            for word in words.array()? {
                utterance.words.push(read_word(&word)?);
            }
        }
        utterances.push(utterance);
    }
    let duration_s = root.get("duration_s").map(|d| d.number()).transpose()?;
    // A transcript converted from another format keeps saying where it came from.
    let source_format = match root.get("source_format") {
        Some(format) => Some(
            serde_json::from_value(format.value.clone())
                .map_err(|_| format.error("expected a format name such as `webvtt` or `deepgram_json`"))?,
        ),
        None => Some(Format::RapportJson),
    };
    Ok(Transcript { utterances, duration_s, source_format })
}

fn read_role(node: &Node<'_>) -> Result<Role, TranscriptError> {
    match node.string()? {
        "rep" => Ok(Role::Rep),
        "customer" => Ok(Role::Customer),
        "unknown" => Ok(Role::Unknown),
        other => Err(node.error(format!("expected `rep`, `customer` or `unknown`, found `{other}`"))),
    }
}

fn read_word(node: &Node<'_>) -> Result<Word, TranscriptError> {
    let start = node.field("start")?.number()?;
    let end = node.field("end")?.number()?;
    check_span(node, start, end)?;
    Ok(Word {
        text: node.field("text")?.string()?.to_string(),
        start,
        end,
        confidence: node.get("confidence").map(|c| c.number().map(|n| n as f32)).transpose()?,
    })
}
