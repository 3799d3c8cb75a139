//! Deepgram: a real response with utterances, the same response read from its words, and
//! multichannel / diarized shapes built on it.

use rapport_transcript::{parse, Format, Transcript};
use serde_json::json;

use crate::{assert_well_formed, check_error, check_truncated, edited_fixture, import_fixture, summary};

const FIXTURE: &str = "deepgram_utterances.json";

fn parse_json(value: &str) -> Transcript {
    let transcript = parse(Format::DeepgramJson, value.as_bytes()).unwrap();
    assert_well_formed(&transcript);
    transcript
}

#[test]
fn utterances_with_punctuated_words() {
    let transcript = import_fixture(FIXTURE);
    assert_eq!(transcript.source_format, Some(Format::DeepgramJson));
    assert_eq!(transcript.duration_s, Some(25.933313));
    let utterances = summary(&transcript);
    assert_eq!(utterances.len(), 6);
    // Not diarized, one channel: nothing says who spoke.
    assert_eq!(utterances[0], (None, 0.08, 3.22, "Yeah. As as much as, it's worth celebrating,"));
    assert_eq!(
        utterances[5],
        (None, 22.3, 25.439999, "and didn't get the same opportunities that we have today.")
    );
    // Mono audio: Deepgram's `channel: 0` says nothing about who spoke, so it is dropped.
    assert!(transcript.utterances.iter().all(|u| u.channel.is_none()));
    let words = &transcript.utterances[0].words;
    assert_eq!(words.len(), 8);
    assert_eq!((words[0].text.as_str(), words[0].start, words[0].end), ("Yeah.", 0.08, 0.32));
    assert_eq!(words[0].confidence, Some(0.998_053_9));
    let word_count: usize = transcript.utterances.iter().map(|u| u.words.len()).sum();
    assert_eq!(word_count, 62);
}

#[test]
fn words_without_utterances_are_cut_at_sentences_and_pauses() {
    let input = edited_fixture(FIXTURE, |v| {
        v["results"].as_object_mut().unwrap().remove("utterances");
    });
    let transcript = parse_json(&input);
    let texts: Vec<&str> = transcript.utterances.iter().map(|u| u.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Yeah.",
            "As as much as, it's worth celebrating, the first, spacewalk, with an all female team, I think many of us are looking forward to it just being normal and I think if it signifies anything, It is to honor the the women who came before us who, were skilled and qualified, and didn't get the same opportunities that we have today.",
        ]
    );
    // No pause between words reaches 1.5 s, so only the sentence end cuts.
    assert_eq!(transcript.utterances[1].start, 0.32);
    assert_eq!(transcript.utterances[1].end, 25.439999);
}

#[test]
fn diarized_words_become_speaker_turns() {
    let input = edited_fixture(FIXTURE, |v| {
        v["results"].as_object_mut().unwrap().remove("utterances");
        for word in v["results"]["channels"][0]["alternatives"][0]["words"].as_array_mut().unwrap() {
            let speaker = if word["start"].as_f64().unwrap() < 8.0 { 0 } else { 1 };
            word["speaker"] = json!(speaker);
        }
    });
    let transcript = parse_json(&input);
    assert_eq!(transcript.speakers(), ["Speaker 0", "Speaker 1"]);
    assert_eq!(transcript.utterances.len(), 2);
    assert_eq!(
        transcript.utterances[0].text,
        "Yeah. As as much as, it's worth celebrating, the first, spacewalk, with an all female team,"
    );
    assert_eq!((transcript.utterances[1].start, transcript.utterances[1].end), (8.475, 25.439999));
}

#[test]
fn multichannel_utterances_are_named_by_channel_and_merged_in_time_order() {
    let utterance = |channel: u32, start: f64, text: &str, speaker: Option<u32>| {
        let mut value = json!({"start": start, "end": start + 1.0, "channel": channel,
                               "transcript": text, "confidence": 0.9, "words": []});
        if let Some(speaker) = speaker {
            value["speaker"] = json!(speaker);
        }
        value
    };
    let input = json!({"metadata": {"channels": 2, "duration": 9.0}, "results": {
        "channels": [{"alternatives": []}, {"alternatives": []}],
        "utterances": [utterance(0, 0.0, "Hello, Acme.", None), utterance(0, 4.0, "Sure.", None),
                       utterance(1, 2.0, "Hi, it's Raj.", Some(0))]
    }});
    let transcript = parse_json(&input.to_string());
    let actual: Vec<(Option<u32>, Option<&str>, &str)> =
        transcript.utterances.iter().map(|u| (u.channel, u.speaker.as_deref(), u.text.as_str())).collect();
    assert_eq!(
        actual,
        [
            (Some(0), Some("Channel 0"), "Hello, Acme."),
            (Some(1), Some("Channel 1 Speaker 0"), "Hi, it's Raj."),
            (Some(0), Some("Channel 0"), "Sure."),
        ]
    );
}

#[test]
fn errors_name_the_json_path() {
    let deepgram = Format::DeepgramJson;
    check_truncated(deepgram, FIXTURE, 500);
    let cases: Vec<(String, &str)> = vec![
        (
            edited_fixture(FIXTURE, |v| v["results"]["utterances"][2]["start"] = json!("6.3")),
            r#"results.utterances[2].start: expected a number, found the string "6.3""#,
        ),
        (
            edited_fixture(FIXTURE, |v| v["results"]["utterances"][1]["words"][2]["end"] = json!(null)),
            "results.utterances[1].words[2].end: null; this value is required",
        ),
        (
            edited_fixture(FIXTURE, |v| v["results"]["utterances"][0]["speaker"] = json!(-1)),
            "results.utterances[0].speaker: expected a non-negative whole number, found the number -1",
        ),
        (
            edited_fixture(FIXTURE, |v| v["metadata"]["channels"] = json!("two")),
            r#"metadata.channels: expected a non-negative whole number, found the string "two""#,
        ),
        (
            edited_fixture(FIXTURE, |v| {
                v["results"].as_object_mut().unwrap().remove("utterances");
                v["results"]["channels"][0]["alternatives"][0]["words"][7]["punctuated_word"] = json!(7);
            }),
            "results.channels[0].alternatives[0].words[7].punctuated_word: expected a string, found the number 7",
        ),
        (
            json!({"metadata": {}, "results": {}}).to_string(),
            "results.channels: missing; this value is required",
        ),
    ];
    for (input, expected) in cases {
        check_error(deepgram, &input, expected);
    }
}
