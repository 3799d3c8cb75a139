//! Writing a transcript back out: WebVTT with `<v Speaker>` voice tags, SRT with
//! `Speaker: ` prefixes, plain text for reading, and Rapport JSON. What these write, the
//! importers read back to the same speakers, times (to the millisecond) and text.

use std::fmt::Write as _;

use crate::timestamp::{format_clock, format_timestamp};
use crate::{Role, Transcript};

/// WebVTT; speakers go in voice tags because a `Name:` prefix can be mistaken for text.
pub fn to_webvtt(transcript: &Transcript) -> String {
    let mut out = String::from("WEBVTT\n");
    for utterance in &transcript.utterances {
        let text = escape_webvtt(&one_line(&utterance.text));
        let _ = write!(
            out,
            "\n{} --> {}\n",
            format_timestamp(utterance.start, '.'),
            format_timestamp(utterance.end, '.')
        );
        match &utterance.speaker {
            Some(speaker) => {
                let _ = writeln!(out, "<v {}>{text}", escape_webvtt(&one_line(speaker)));
            }
            None => {
                let _ = writeln!(out, "{text}");
            }
        }
    }
    out
}

/// SRT, numbered from 1. SRT has no speaker markup, so the speaker is a `Name: ` prefix;
/// the importer reads such prefixes conservatively, so a name with a comma (`Patel, Raj`)
/// comes back as part of the text. WebVTT keeps every speaker.
pub fn to_srt(transcript: &Transcript) -> String {
    let mut out = String::new();
    for (index, utterance) in transcript.utterances.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let text = one_line(&utterance.text).replace("-->", "->");
        let _ = writeln!(
            out,
            "{}\n{} --> {}",
            index + 1,
            format_timestamp(utterance.start, ','),
            format_timestamp(utterance.end, ',')
        );
        match &utterance.speaker {
            Some(speaker) => {
                let _ = writeln!(out, "{}: {text}", one_line(speaker).replace(':', ""));
            }
            None => {
                let _ = writeln!(out, "{text}");
            }
        }
    }
    out
}

/// One line per utterance for people: `[00:01:02] Ann Lee (rep): text`.
pub fn to_text(transcript: &Transcript) -> String {
    let mut out = String::new();
    for utterance in &transcript.utterances {
        let _ = write!(out, "[{}]", format_clock(utterance.start));
        if let Some(speaker) = &utterance.speaker {
            let _ = write!(out, " {}", one_line(speaker));
        }
        if utterance.role != Role::Unknown {
            let _ = write!(out, " ({})", utterance.role.as_str());
        }
        let _ = writeln!(out, ": {}", one_line(&utterance.text));
    }
    out
}

/// Rapport JSON, pretty-printed: `{"utterances": [{"speaker", "role", "start", "end",
/// "text"}…]}` plus channel, words, duration and source format where known.
pub fn to_json(transcript: &Transcript) -> String {
    // The model has only string keys and plain values, so serialising cannot fail.
    serde_json::to_string_pretty(transcript).unwrap_or_default()
}

/// A cue ends at the first blank line, so text is written on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape_webvtt(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Utterance;

    fn sample() -> Transcript {
        let mut first = Utterance::new(0.5, 1.55, "Let's do <that> & more\nnow");
        first.speaker = Some("Ashlee Kupor".into());
        first.role = Role::Rep;
        let second = Utterance::new(3723.456, 3725.0, "No speaker --> here");
        Transcript { utterances: vec![first, second], duration_s: None, source_format: None }
    }

    #[test]
    fn writes_webvtt_with_voice_tags_and_escapes() {
        assert_eq!(
            to_webvtt(&sample()),
            "WEBVTT\n\n00:00:00.500 --> 00:00:01.550\n<v Ashlee Kupor>Let's do &lt;that&gt; &amp; more now\n\n01:02:03.456 --> 01:02:05.000\nNo speaker --&gt; here\n"
        );
    }

    #[test]
    fn writes_srt_with_speaker_prefixes() {
        assert_eq!(
            to_srt(&sample()),
            "1\n00:00:00,500 --> 00:00:01,550\nAshlee Kupor: Let's do <that> & more now\n\n2\n01:02:03,456 --> 01:02:05,000\nNo speaker -> here\n"
        );
    }

    #[test]
    fn writes_text_for_people() {
        assert_eq!(
            to_text(&sample()),
            "[00:00:00] Ashlee Kupor (rep): Let's do <that> & more now\n[01:02:03]: No speaker --> here\n"
        );
    }
}
