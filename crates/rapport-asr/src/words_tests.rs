//! Word grouping, timing and punctuation on hand-made tokens and warping paths.

use super::*;

/// Token id → text, as a tiny vocabulary; id 9 is half of "é", 10 the other half.
fn decode(ids: &[usize]) -> String {
    let pieces = ["", " Hello", ",", " wor", "ld", " caf", "!", " \"", "Hi", "", ""];
    if ids.contains(&9) && !ids.contains(&10) {
        return "\u{fffd}".into();
    }
    ids.iter().map(|id| if *id == 10 { "é" } else { pieces[*id] }).collect()
}

fn texts(words: &[(String, Vec<usize>)]) -> Vec<&str> {
    words.iter().map(|(t, _)| t.as_str()).collect()
}

#[test]
fn words_start_at_spaces_and_punctuation() {
    let words = split_words(&[1, 2, 3, 4, 5, 9, 10, 6], &decode);
    assert_eq!(texts(&words), vec![" Hello", ",", " world", " café", "!"]);
    assert_eq!(words[3].1, vec![5, 9, 10]);
}

#[test]
fn times_come_from_where_the_path_enters_each_row() {
    // Rows: 0 = <|notimestamps|>, then one per token; steps are 20 ms.
    let path = [(0, 0), (0, 1), (1, 5), (1, 6), (2, 20), (3, 30), (3, 31), (4, 40)];
    let words = vec![(" a".to_string(), vec![1]), (" bc".to_string(), vec![2, 3])];
    let timed = time_words(words, &path, &[0.9, 0.5, 0.7]);
    assert_eq!(timed.len(), 2);
    assert_eq!((timed[0].start, timed[0].end), (0.0, 0.1));
    assert_eq!((timed[1].start, timed[1].end), (0.1, 0.6));
    assert!((timed[1].probability - 0.6).abs() < 1e-6);
}

#[test]
fn punctuation_joins_its_word() {
    let word = |text: &str, id: usize, start: f64| TimedWord {
        text: text.into(),
        tokens: vec![id],
        start,
        end: start + 0.2,
        probability: 1.0,
    };
    let mut words = vec![
        word(" \"", 1, 0.0),
        word("Hi", 2, 0.2),
        word(",", 3, 0.4),
        word(" there", 4, 0.6),
        word(".", 5, 0.8),
    ];
    merge_punctuation(&mut words);
    let got: Vec<(&str, usize)> = words.iter().map(|w| (w.text.as_str(), w.tokens.len())).collect();
    assert_eq!(got, vec![(" \"Hi,", 3), (" there.", 2)]);
}

#[test]
fn words_go_to_segments_by_token_count() {
    let word = |n: usize| TimedWord {
        text: format!(" w{n}"),
        tokens: vec![n; n],
        start: 0.0,
        end: 0.0,
        probability: 1.0,
    };
    let per_segment = vec![vec![0; 3], vec![0; 2], vec![]];
    let out = distribute(vec![word(1), word(2), word(2)], &per_segment);
    let counts: Vec<usize> = out.iter().map(Vec::len).collect();
    assert_eq!(counts, vec![2, 1, 0]);
}
