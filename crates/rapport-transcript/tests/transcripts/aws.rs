//! Amazon Transcribe: a clip without speakers, a real call with speaker labels, channel
//! identification, audio segments, and errors at JSON paths of real output.

use rapport_transcript::{assign_roles, parse, to_text, Format, Role, RoleRules};
use serde_json::json;

use crate::{
    assert_well_formed, check_error, check_truncated, edited_fixture, fixture, import_fixture, summary,
};

/// AWS's own full transcript, with its space before `?` removed, as the words should join.
fn aws_transcript_text(name: &str) -> String {
    let value: serde_json::Value = serde_json::from_slice(&fixture(name)).unwrap();
    let text = value["results"]["transcripts"][0]["transcript"].as_str().unwrap();
    text.replace(" ?", "?")
}

fn joined_text(transcript: &rapport_transcript::Transcript) -> String {
    let texts: Vec<&str> = transcript.utterances.iter().map(|u| u.text.as_str()).collect();
    texts.join(" ")
}

#[test]
fn short_clip_without_speakers_is_cut_at_sentences() {
    let transcript = import_fixture("aws_short_clip.json");
    assert_eq!(transcript.source_format, Some(Format::AwsTranscribeJson));
    assert_eq!(transcript.speakers(), Vec::<&str>::new());
    let utterance = &transcript.utterances[..];
    assert_eq!(utterance.len(), 1);
    assert_eq!((utterance[0].start, utterance[0].end), (1.15, 11.44));
    assert_eq!(joined_text(&transcript), aws_transcript_text("aws_short_clip.json"));
    // 25 items, two of them punctuation glued to the word before.
    let words = &utterance[0].words;
    assert_eq!(words.len(), 23);
    assert_eq!(
        (words[0].text.as_str(), words[0].start, words[0].end, words[0].confidence),
        ("And", 1.15, 1.38, Some(1.0))
    );
    assert_eq!(words[12].text, "level,");
    assert_eq!((words[22].text.as_str(), words[22].confidence), ("apparent.", Some(0.9868)));
}

#[test]
fn callcenter_call_with_speaker_labels() {
    let transcript = import_fixture("aws_callcenter_call.json");
    assert_eq!(transcript.speakers(), ["Speaker 1", "Speaker 2", "Speaker 0"]);
    let utterances = summary(&transcript);
    assert_eq!(utterances.len(), 10);
    let first = utterances[0];
    assert_eq!((first.0, first.1, first.2), (Some("Speaker 1"), 0.86, 10.9));
    assert!(first.3.starts_with("You have reached as himself far gone. This is donna,"));
    assert_eq!(utterances[9], (Some("Speaker 2"), 58.45, 58.95, "skirt."));
    // Every word is kept, in order, and joins back to AWS's own transcript.
    assert_eq!(joined_text(&transcript), aws_transcript_text("aws_callcenter_call.json"));
    let word_count: usize = transcript.utterances.iter().map(|u| u.words.len()).sum();
    assert_eq!(word_count, 172 - 28); // items minus punctuation items
    insta::assert_snapshot!("aws_callcenter_text", to_text(&transcript));
}

#[test]
fn channel_identification_groups_each_channel_and_merges_by_time() {
    let item = |channel: &str, start: &str, end: &str, content: &str| {
        json!({"channel_label": channel, "start_time": start, "end_time": end, "type": "pronunciation",
               "alternatives": [{"confidence": "0.99", "content": content}]})
    };
    let period = json!({"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]});
    let input = json!({"status": "COMPLETED", "results": {
        "transcripts": [{"transcript": "…"}],
        "channel_labels": {"number_of_channels": 2, "channels": [
            {"channel_label": "ch_0", "items": [
                item("ch_0", "0.50", "0.90", "Thanks"), item("ch_0", "0.90", "1.20", "for"),
                item("ch_0", "1.20", "1.60", "calling"), period.clone(),
                item("ch_0", "4.00", "4.50", "Great"), period.clone()]},
            {"channel_label": "ch_1", "items": [
                item("ch_1", "1.00", "1.30", "Mm-hmm"),
                item("ch_1", "2.00", "2.40", "Hi"), item("ch_1", "2.40", "2.90", "there"), period]}
        ]},
        "items": []
    }});
    let transcript = parse(Format::AwsTranscribeJson, input.to_string().as_bytes()).unwrap();
    assert_well_formed(&transcript);
    let actual: Vec<(Option<u32>, Option<&str>, f64, &str)> = transcript
        .utterances
        .iter()
        .map(|u| (u.channel, u.speaker.as_deref(), u.start, u.text.as_str()))
        .collect();
    // The customer's "Mm-hmm" does not cut the rep's sentence in two.
    assert_eq!(
        actual,
        [
            (Some(0), Some("Channel 0"), 0.5, "Thanks for calling."),
            (Some(1), Some("Channel 1"), 1.0, "Mm-hmm Hi there."),
            (Some(0), Some("Channel 0"), 4.0, "Great."),
        ]
    );
    let mut transcript = transcript;
    let rules = RoleRules { rep_channel: Some(1), ..RoleRules::default() };
    assign_roles(&mut transcript, &rules);
    let roles: Vec<Role> = transcript.utterances.iter().map(|u| u.role).collect();
    assert_eq!(roles, [Role::Customer, Role::Rep, Role::Customer]);
}

#[test]
fn audio_segments_give_utterances_without_speakers() {
    let item = |id: u64, start: &str, end: &str, content: &str| {
        json!({"id": id, "start_time": start, "end_time": end, "type": "pronunciation",
               "alternatives": [{"confidence": "0.9", "content": content}]})
    };
    let input = json!({"results": {
        "items": [item(0, "0.1", "0.4", "one"), item(1, "0.4", "0.8", "two"), item(2, "1.0", "1.3", "three")],
        "audio_segments": [{"id": 0, "items": [0, 1]}, {"id": 1, "items": [2]}]
    }});
    let transcript = parse(Format::AwsTranscribeJson, input.to_string().as_bytes()).unwrap();
    assert_eq!(summary(&transcript), [(None, 0.1, 0.8, "one two"), (None, 1.0, 1.3, "three")]);
}

#[test]
fn errors_name_the_json_path() {
    let aws = Format::AwsTranscribeJson;
    check_truncated(aws, "aws_callcenter_call.json", 100);
    let call = "aws_callcenter_call.json";
    let cases: Vec<(String, &str)> = vec![
        (
            edited_fixture(call, |v| v["results"]["items"][12]["start_time"] = json!("soon")),
            r#"results.items[12].start_time: expected a number, found the string "soon""#,
        ),
        (
            edited_fixture(call, |v| v["results"]["items"][0]["end_time"] = json!("0.5")),
            "results.items[0]: ends at 0.5 s, before it starts at 0.86 s",
        ),
        (
            edited_fixture(call, |v| v["results"]["items"][3]["alternatives"] = json!([])),
            "results.items[3].alternatives: expected at least one alternative",
        ),
        (
            edited_fixture(call, |v| v["results"]["items"][5]["type"] = json!("word")),
            "results.items[5].type: expected `pronunciation` or `punctuation`, found `word`",
        ),
        (
            edited_fixture(call, |v| {
                v["results"]["speaker_labels"]["segments"][2]["items"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("start_time");
            }),
            "results.speaker_labels.segments[2].items[0].start_time: missing; this value is required",
        ),
        (
            edited_fixture(call, |v| v["status"] = json!("IN_PROGRESS")),
            "status: the job's status is `IN_PROGRESS`, not `COMPLETED`; only finished jobs can be imported",
        ),
        (
            edited_fixture(call, |v| v["results"] = json!({"transcripts": []})),
            "results.items: missing; this value is required",
        ),
        (
            json!({"results": {"channel_labels": {"channels": [{"channel_label": "left", "items": []}]}}}).to_string(),
            "results.channel_labels.channels[0].channel_label: expected a channel label like `ch_0`, found `left`",
        ),
    ];
    for (input, expected) in cases {
        check_error(aws, &input, expected);
    }
}
