//! Writers: what `to_webvtt` and `to_srt` write, the importers read back to the same
//! speakers, times (to the millisecond) and text.

use rapport_transcript::{parse, to_srt, to_webvtt, Format, Transcript};

use crate::import_fixture;

fn comparable(transcript: &Transcript) -> Vec<(Option<&str>, u64, u64, &str)> {
    transcript
        .utterances
        .iter()
        .map(|u| (u.speaker.as_deref(), u.start_ms(), u.end_ms(), u.text.as_str()))
        .collect()
}

#[test]
fn webvtt_round_trips_every_fixture() {
    for name in [
        "zoom.vtt",
        "teams.vtt",
        "deepgram_utterances.json",
        "assemblyai_utterances.json",
        "aws_callcenter_call.json",
    ] {
        let transcript = import_fixture(name);
        let written = to_webvtt(&transcript);
        let read =
            parse(Format::WebVtt, written.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}\n{written}"));
        assert_eq!(comparable(&read), comparable(&transcript), "{name}");
    }
}

#[test]
fn srt_round_trips_speaker_names_it_can_write_as_prefixes() {
    for name in ["zoom.vtt", "whisper_jfk.json", "aws_callcenter_call.json"] {
        let transcript = import_fixture(name);
        let written = to_srt(&transcript);
        let read =
            parse(Format::Srt, written.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}\n{written}"));
        assert_eq!(comparable(&read), comparable(&transcript), "{name}");
    }
}

#[test]
fn teams_call_as_webvtt() {
    let transcript = import_fixture("teams.vtt");
    insta::assert_snapshot!("teams_written_webvtt", to_webvtt(&transcript));
}
