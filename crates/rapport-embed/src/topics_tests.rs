//! Topic discovery on hand-made vectors: three tight groups far apart, each with its own words.

use rapport_transcript::{Role, Transcript, Utterance};

use super::*;

/// Unit-ish vectors near axis `group` of a 4-dimensional space, jittered by `index`.
fn point(group: usize, index: usize) -> Vec<f32> {
    let mut vector = vec![0.05 * ((index % 5) as f32 - 2.0); 4];
    vector[group] = 1.0;
    vector
}

const WORDS: [&str; 3] =
    ["pricing discount contract", "security encryption audit", "weather weekend holiday"];

fn corpus() -> (Vec<Vec<f32>>, Vec<String>) {
    let mut vectors = Vec::new();
    let mut texts = Vec::new();
    for index in 0..60 {
        let group = index % 3;
        vectors.push(point(group, index));
        texts.push(format!("Yeah so the {} thing, you know {index}", WORDS[group]));
    }
    (vectors, texts)
}

#[test]
fn finds_the_three_groups_and_names_them_by_their_words() {
    let (vectors, texts) = corpus();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let model = discover_topics(&vectors, &texts, None, 7).unwrap();
    assert_eq!(model.topics.len(), 3, "silhouettes: {:?}", model.silhouettes);
    let best = model.silhouettes.iter().map(|s| s.1).fold(f32::MIN, f32::max);
    assert_eq!(model.silhouettes.iter().find(|s| s.1 == best).unwrap().0, 3);
    for (index, &topic) in model.assignments.iter().enumerate() {
        // Every member of a group lands in one topic, and that topic is named by its words.
        assert_eq!(topic, model.assignments[index % 3]);
        let mut expected: Vec<&str> = WORDS[index % 3].split(' ').collect();
        let mut named: Vec<&str> = model.topics[topic].top_terms.iter().map(String::as_str).collect();
        expected.sort_unstable();
        named.sort_unstable();
        assert_eq!(named, expected, "fillers and numbers are not terms");
    }
    assert!(model.topics.iter().all(|topic| topic.size == 20));
}

#[test]
fn same_seed_same_model_and_ids_follow_the_words_not_the_order() {
    let (vectors, texts) = corpus();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let first = discover_topics(&vectors, &texts, Some(3), 1).unwrap();
    assert_eq!(first, discover_topics(&vectors, &texts, Some(3), 1).unwrap());
    let other_seed = discover_topics(&vectors, &texts, Some(3), 99).unwrap();
    let ids = |model: &TopicModel| {
        let mut ids: Vec<(String, String)> =
            model.topics.iter().map(|topic| (topic.id.clone(), topic.name.clone())).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&first), ids(&other_seed));
    // New utterances go to the topic of their group.
    assert_eq!(first.assign(&[point(1, 3)]), vec![first.assignments[1]]);
}

#[test]
fn k_is_validated_and_clamped() {
    let (vectors, texts) = corpus();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert!(discover_topics(&vectors, &texts, Some(0), 1).is_err());
    assert!(discover_topics(&vectors, &texts[..3], None, 1)
        .unwrap_err()
        .to_string()
        .contains("60 embeddings for 3 texts"));
    let two = &vectors[..2];
    assert_eq!(discover_topics(two, &texts[..2], Some(5), 1).unwrap().topics.len(), 2);
    assert_eq!(discover_topics(&[], &[], None, 1).unwrap().topics.len(), 0);
    assert_eq!(discover_topics(two, &texts[..2], None, 1).unwrap().topics.len(), 1);
}

#[test]
fn timeline_merges_consecutive_utterances_of_one_topic() {
    let (vectors, texts) = corpus();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let model = discover_topics(&vectors, &texts, Some(3), 1).unwrap();
    let utterance = |start: f64| Utterance {
        speaker: Some("Ana".into()),
        role: Role::Customer,
        channel: None,
        start,
        end: start + 4.0,
        text: String::new(),
        words: Vec::new(),
    };
    let transcript = Transcript {
        utterances: (0..4).map(|i| utterance(i as f64 * 5.0)).collect(),
        duration_s: None,
        source_format: None,
    };
    let assigned = model.assign(&[point(0, 0), point(0, 1), point(2, 2), point(0, 3)]);
    let timeline = topic_timeline(&transcript, &assigned, &model);
    let spans: Vec<(usize, usize, f64, f64)> =
        timeline.iter().map(|s| (s.first_utterance, s.last_utterance, s.start, s.end)).collect();
    assert_eq!(spans, [(0, 1, 0.0, 9.0), (2, 2, 10.0, 14.0), (3, 3, 15.0, 19.0)]);
    assert_eq!(timeline[0].topic_id, timeline[2].topic_id);
    assert_ne!(timeline[0].topic_id, timeline[1].topic_id);
}

#[test]
fn stopwords_are_sorted_for_binary_search() {
    assert!(STOPWORDS.windows(2).all(|pair| pair[0] < pair[1]));
}
