//! Segments to speaker turns, and the `--channels` grammar.

use super::*;

fn segment(start: f64, end: f64, text: &str) -> Segment {
    Segment {
        start,
        end,
        text: text.to_owned(),
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
        temperature: 0.0,
        compression_ratio: 1.2,
        words: Vec::new(),
    }
}

/// (channel, start, end, text) of each utterance, for compact expectations.
fn shape(utterances: &[Utterance]) -> Vec<(Option<u32>, f64, f64, &str)> {
    utterances.iter().map(|u| (u.channel, u.start, u.end, u.text.as_str())).collect()
}

#[test]
fn channels_merge_by_time_and_uninterrupted_segments_join() {
    let rep = turns(
        &[
            segment(0.0, 2.0, " Hi, this is Ana."),
            segment(2.5, 4.0, " How are you?"),
            segment(9.0, 10.0, " Great."),
        ],
        Some(0),
        Some("Ana"),
        Role::Rep,
    );
    let customer = turns(
        &[segment(4.5, 6.0, " Fine, thanks."), segment(6.2, 6.2, "  ")],
        Some(1),
        Some("Customer"),
        Role::Customer,
    );
    let merged = merge_by_time(vec![customer, rep]);
    assert_eq!(
        shape(&merged),
        vec![
            (Some(0), 0.0, 4.0, "Hi, this is Ana. How are you?"),
            (Some(1), 4.5, 6.0, "Fine, thanks."),
            (Some(0), 9.0, 10.0, "Great."),
        ]
    );
    assert_eq!(merged[1].role, Role::Customer);
    assert_eq!(merged[0].speaker.as_deref(), Some("Ana"));
}

#[test]
fn unknown_speakers_are_never_joined() {
    let mono = turns(&[segment(0.0, 1.0, "One."), segment(1.2, 2.0, "Two.")], None, None, Role::Unknown);
    assert_eq!(shape(&mono), vec![(None, 0.0, 1.0, "One."), (None, 1.2, 2.0, "Two.")]);
}

#[test]
fn words_keep_times_and_bounded_confidence() {
    let mut with_words = segment(1.0, 2.0, " Hello there");
    with_words.words = vec![
        rapport_asr::Word { start: 1.0, end: 1.4, text: " Hello".into(), probability: 0.9 },
        rapport_asr::Word { start: 1.5, end: 1.45, text: " there".into(), probability: 1.2 },
    ];
    let utterances = turns(&[with_words], Some(0), Some("Rep"), Role::Rep);
    let words: Vec<(&str, f64, f64, Option<f32>)> =
        utterances[0].words.iter().map(|w| (w.text.as_str(), w.start, w.end, w.confidence)).collect();
    assert_eq!(words, vec![("Hello", 1.0, 1.4, Some(0.9)), ("there", 1.5, 1.5, Some(1.0))]);
}

fn check_channels(text: &str, expected: Result<u32, &str>) {
    let got = ChannelRoles::parse(text).map(|roles| roles.rep_channel).map_err(|e| e.to_string());
    assert_eq!(got, expected.map_err(str::to_owned), "{text}");
}

#[test]
fn channel_roles_parse() {
    check_channels("rep,customer", Ok(0));
    check_channels("customer, rep", Ok(1));
    check_channels("customer,customer,rep", Ok(2));
    check_channels("rep,rep", Err("channels: `rep,rep`: name exactly one channel `rep`"));
    check_channels(
        "rep,agent",
        Err("channels: `rep,agent`: `agent` is not a role (rep or customer, one per channel)"),
    );
}

#[test]
fn models_are_folders_or_hub_ids() {
    let cache = Path::new("/cache");
    assert_eq!(model_source("./models/tiny", cache), ModelSource::Local("./models/tiny".into()));
    assert_eq!(model_source("/opt/tiny.en", cache), ModelSource::Local("/opt/tiny.en".into()));
    assert_eq!(
        model_source(DEFAULT_MODEL, cache),
        ModelSource::HuggingFace { id: DEFAULT_MODEL.into(), cache_dir: cache.into() }
    );
}
