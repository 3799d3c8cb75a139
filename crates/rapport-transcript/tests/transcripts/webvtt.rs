//! WebVTT: Zoom's `Name: text` cues, Teams' `<v Name>` voice tags, Whisper's plain cues.

use rapport_transcript::{parse, Format};

use crate::{check_error, import_fixture, summary};

#[test]
fn zoom_cues_carry_speaker_prefixes() {
    let transcript = import_fixture("zoom.vtt");
    assert_eq!(transcript.source_format, Some(Format::WebVtt));
    assert_eq!(transcript.speakers(), ["Ashlee Kupor", "Dora Demszky"]);
    let utterances = summary(&transcript);
    assert_eq!(utterances.len(), 6);
    assert_eq!(utterances[0], (Some("Ashlee Kupor"), 0.51, 1.55, "Let's do that"));
    // Zoom left this cue without a name; the importer does not guess one.
    assert_eq!(utterances[2], (None, 7.17, 9.52, "No, it's gonna. I think it's"));
    assert_eq!(
        utterances[5],
        (
            Some("Dora Demszky"),
            19.31,
            24.09,
            "It's transcribing stuff. So yeah, i'll send you what I have after this."
        )
    );
    assert!(transcript.utterances.iter().all(|u| u.words.is_empty()));
    insta::assert_json_snapshot!("zoom", transcript);
}

#[test]
fn teams_voice_tags_name_speakers_across_lines() {
    let transcript = import_fixture("teams.vtt");
    assert_eq!(transcript.speakers(), ["Zoë Müller", "Patel, Raj"]);
    let utterances = summary(&transcript);
    assert_eq!(utterances.len(), 7);
    assert_eq!(
        utterances[0],
        (Some("Zoë Müller"), 3.589, 7.229, "Hi Raj, thanks for making the time. Can everyone hear me okay?")
    );
    // Three text lines and an entity in one cue.
    assert!(utterances[2]
        .3
        .ends_with("rebuilding the pipeline report by hand & that it is often out of date."));
    // The cue without a voice tag has no speaker.
    assert_eq!(utterances[3], (None, 16.9, 18.0, "[inaudible]"));
    assert!(utterances[4].3.contains("pricing was <not> going to work"));
    assert_eq!(utterances[6], (Some("Patel, Raj"), 29.96, 31.12, "It would. Let's book it."));
    insta::assert_json_snapshot!("teams", transcript);
}

#[test]
fn whisper_vtt_has_one_unattributed_cue() {
    let transcript = import_fixture("whisper_jfk.vtt");
    assert_eq!(
        summary(&transcript),
        [(
            None,
            0.0,
            10.38,
            "And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
        )]
    );
}

#[test]
fn tolerates_crlf_bom_headers_notes_and_settings() {
    let input = "\u{feff}WEBVTT - call\r\nKind: captions\r\n\r\nNOTE a note\r\nspanning lines\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\r\nintro\r\n00:01.000 --> 00:02.500 align:start position:10%\r\n<c.yellow><b>Ann:</b></c> hi <00:01.500>there\r\n\r\n00:00:03.000 --> 00:00:04.000\r\n\r\n";
    let transcript = parse(Format::WebVtt, input.as_bytes()).unwrap();
    // Markup is stripped before the speaker prefix is read; the empty last cue is dropped.
    assert_eq!(summary(&transcript), [(Some("Ann"), 1.0, 2.5, "hi there")]);
}

#[test]
fn errors_name_the_line() {
    let webvtt = Format::WebVtt;
    check_error(webvtt, "", "line 1: expected `WEBVTT` on the first line, found ``");
    check_error(
        webvtt,
        "1\n00:00:01,000 --> 00:00:02,000\nhi\n",
        "line 1: expected `WEBVTT` on the first line, found `1`",
    );
    // A cue identifier followed by text: the timing line is missing.
    check_error(
        webvtt,
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nhi\n\n2\nAnn: no timing\n",
        "line 8: expected a cue timing line like `00:00:01.000 --> 00:00:02.000`, found `Ann: no timing`",
    );
    check_error(
        webvtt,
        "WEBVTT\n\n00:00:01.000 00:00:02.000\nhi\n",
        "line 3: expected a cue timing line like `00:00:01.000 --> 00:00:02.000`, found `00:00:01.000 00:00:02.000`",
    );
    check_error(
        webvtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nhi\n",
        "line 3: timestamp `00:00:0x.000` is not HH:MM:SS.mmm",
    );
    check_error(webvtt, "WEBVTT\n\n00:00:01.000 -->\nhi\n", "line 3: timestamp `` is not HH:MM:SS.mmm");
    check_error(
        webvtt,
        "WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nhi\n",
        "line 3: cue ends at 00:00:04.000 before it starts at 00:00:05.000",
    );
    check_error(
        webvtt,
        "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nhi\n\n00:00:01.000 --> 00:00:02.000\nback\n",
        "line 6: cue starts at 00:00:01.000, before the previous cue's start 00:00:05.000; cues must be in time order",
    );
    check_error(
        webvtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n00:00:03.000 --> 00:00:04.000\nthere\n",
        "line 5: `-->` inside cue text; is a blank line missing before this cue?",
    );
}
