//! SRT: Whisper's output, numbered blocks, multi-line text, markup and the error paths.

use rapport_transcript::{parse, Format};

use crate::{check_error, import_fixture, summary};

#[test]
fn whisper_srt_reads_its_one_cue() {
    let transcript = import_fixture("whisper_jfk.srt");
    assert_eq!(transcript.source_format, Some(Format::Srt));
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
fn reads_multi_line_cues_speakers_and_markup() {
    let input = "1\r\n00:00:01,000 --> 00:00:02,500\r\nDora Demszky: Hello,\r\n<i>everyone</i>.\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n<font color=\"#fff\">Note: no speaker here</font>\r\n\r\n00:00:04,500 --> 00:00:05,000\r\nA cue without its number\r\n";
    let transcript = parse(Format::Srt, input.as_bytes()).unwrap();
    assert_eq!(
        summary(&transcript),
        [
            (Some("Dora Demszky"), 1.0, 2.5, "Hello, everyone."),
            (None, 3.0, 4.0, "Note: no speaker here"),
            (None, 4.5, 5.0, "A cue without its number"),
        ]
    );
}

#[test]
fn errors_name_the_line() {
    let srt = Format::Srt;
    check_error(srt, "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n", "line 5: subtitle 2 has no timing line");
    check_error(
        srt,
        "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\nno timing here\n",
        "line 6: expected a timing line like `00:00:01,000 --> 00:00:02,000`, found `no timing here`",
    );
    check_error(
        srt,
        "just text\n",
        "line 1: expected a subtitle number or a timing line like `00:00:01,000 --> 00:00:02,000`, found `just text`",
    );
    check_error(
        srt,
        "1\n00:00:01,000 --> 00:00:02\nhi\n",
        "line 2: timestamp `00:00:02` is not HH:MM:SS,mmm",
    );
    check_error(
        srt,
        "1\n00:00:01,000 --> 00:00:00,500\nhi\n",
        "line 2: cue ends at 00:00:00,500 before it starts at 00:00:01,000",
    );
    check_error(
        srt,
        "1\n00:00:05,000 --> 00:00:06,000\nhi\n\n2\n00:00:01,000 --> 00:00:02,000\nback\n",
        "line 6: cue starts at 00:00:01,000, before the previous cue's start 00:00:05,000; cues must be in time order",
    );
}

#[test]
fn bytes_that_are_not_utf8_name_their_line() {
    let latin1 = b"1\n00:00:01,000 --> 00:00:02,000\nJos\xE9\n";
    let error = parse(Format::Srt, latin1).unwrap_err();
    assert_eq!(error.to_string(), "line 3: not UTF-8 text (byte 0xE9); save the file as UTF-8");
}
