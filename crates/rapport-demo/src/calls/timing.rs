//! Turning a call's turns into timed utterances: each speaker's own pace (about 150 words a
//! minute), short pauses between sentences, longer ones after a question, the rep's patience
//! before answering, the odd interruption, listeners' "mm-hmm"s over long explanations, and
//! long turns split where a meeting tool would split them. A speaker never overlaps
//! themselves; two speakers sometimes overlap, as on real calls.

use rand::Rng;
use rapport_domain::{SpeakerRole, UtteranceRow};

use crate::calls::conversation::{Turn, BUYER, REP};
use crate::calls::lines::opening::BACKCHANNELS;
use crate::rng::{between, chance, DemoRng};
use crate::story::TalkStyle;

/// Someone on the call, as the transcript names them.
#[derive(Debug, Clone)]
pub(crate) struct Voice {
    pub name: String,
    pub role: SpeakerRole,
    pub words_per_minute: f64,
}

/// A speaker's pause between two of their own utterances, and the fewest milliseconds
/// between the end of one of their utterances and the start of the next.
const OWN_PAUSE_MS: (f64, f64) = (250.0, 800.0);
const OWN_GAP_MS: i64 = 120;

/// The call's utterances in order of start, and its duration in milliseconds.
pub(crate) fn time_turns(
    turns: &[Turn],
    voices: &[Voice],
    style: &TalkStyle,
    rng: &mut DemoRng,
) -> (Vec<UtteranceRow>, i64) {
    let mut rows: Vec<UtteranceRow> = Vec::with_capacity(turns.len() * 2);
    // When each speaker last stopped talking; the recording starts a few seconds early.
    let mut free_at = vec![0i64; voices.len()];
    let mut clock = between(rng, 1_500.0, 6_000.0) as i64;
    let mut previous: Option<(&Turn, i64, i64)> = None;
    for turn in turns {
        let mut start = clock;
        if let Some((last, last_start, last_end)) = previous {
            let asked = last.text.ends_with('?');
            let pause = if turn.speaker == REP {
                between(rng, style.patience_ms.0, style.patience_ms.1)
            } else if asked {
                between(rng, 500.0, 1_600.0)
            } else {
                between(rng, 250.0, 900.0)
            };
            start = last_end + pause as i64;
            // Talkers cut in before a long answer is over.
            let long = last_end - last_start > 5_000;
            if turn.speaker == REP && last.speaker != REP && long && chance(rng, style.interrupts) {
                start = last_end - between(rng, 300.0, 1_200.0) as i64;
            }
        }
        start = start.max(free_at[turn.speaker] + OWN_GAP_MS);
        let voice = &voices[turn.speaker];
        let first_row = rows.len();
        let mut at = start;
        for chunk in chunks(&turn.text, rng) {
            let words = chunk.split_whitespace().count() as f64;
            let sentences = chunk.matches(['.', '?', '!']).count().max(1) as f64;
            let pace = voice.words_per_minute * between(rng, 0.9, 1.1);
            let spoken = words * 60_000.0 / pace + (sentences - 1.0) * between(rng, 150.0, 400.0);
            let end = at + spoken.max(350.0) as i64;
            rows.push(row(voice, at, end, chunk));
            at = end + between(rng, OWN_PAUSE_MS.0, OWN_PAUSE_MS.1) as i64;
        }
        let end = rows.last().map_or(start, |r| r.end_ms);
        free_at[turn.speaker] = end;
        if turn.speaker == REP {
            backchannel(&mut rows, first_row, voices, &mut free_at, rng);
        }
        previous = Some((turn, start, end));
        clock = clock.max(end);
    }
    // A stable sort keeps a speaker's own utterances in order when starts tie.
    rows.sort_by_key(|r| r.start_ms);
    for (index, row) in rows.iter_mut().enumerate() {
        row.index = index as u32;
    }
    let last_end = rows.iter().map(|r| r.end_ms).max().unwrap_or(0);
    let duration = last_end + between(rng, 1_000.0, 6_000.0) as i64;
    (rows, duration)
}

fn row(voice: &Voice, start_ms: i64, end_ms: i64, text: String) -> UtteranceRow {
    UtteranceRow {
        index: 0,
        speaker: Some(voice.name.clone()),
        role: voice.role,
        channel: None,
        start_ms,
        end_ms,
        text,
        words: Vec::new(),
    }
}

/// While the rep explains at length, the buyer now and then says "mm-hmm" over them.
fn backchannel(
    rows: &mut Vec<UtteranceRow>,
    first_row: usize,
    voices: &[Voice],
    free_at: &mut [i64],
    rng: &mut DemoRng,
) {
    let long: Vec<(i64, i64)> = rows[first_row..]
        .iter()
        .filter(|r| r.end_ms - r.start_ms > 12_000)
        .map(|r| (r.start_ms, r.end_ms))
        .collect();
    for (start, end) in long {
        if !chance(rng, 0.35) {
            continue;
        }
        let at = start + ((end - start) as f64 * between(rng, 0.3, 0.7)) as i64;
        if at < free_at[BUYER] + OWN_GAP_MS {
            continue;
        }
        let text = BACKCHANNELS[rng.gen_range(0..BACKCHANNELS.len())].to_owned();
        let until = at + between(rng, 300.0, 700.0) as i64;
        rows.push(row(&voices[BUYER], at, until, text));
        free_at[BUYER] = until;
    }
}

/// A turn's text cut into utterances of a few sentences, as meeting tools cut long turns.
fn chunks(text: &str, rng: &mut DemoRng) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut limit = between(rng, 35.0, 80.0) as usize;
    for sentence in sentences(text) {
        if !current.is_empty() && current.split_whitespace().count() >= limit {
            chunks.push(std::mem::take(&mut current));
            limit = between(rng, 35.0, 80.0) as usize;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The sentences of `text`: pieces ending in `.`, `?` or `!` followed by a space or the end.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text.trim();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let end = (0..bytes.len())
            .find(|&i| matches!(bytes[i], b'.' | b'?' | b'!') && bytes.get(i + 1).is_none_or(|b| *b == b' '))
            .map_or(rest.len(), |i| i + 1);
        let (sentence, tail) = rest.split_at(end);
        rest = tail.trim_start();
        Some(sentence)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};
    use crate::story::TALK_STYLES;

    fn voices() -> Vec<Voice> {
        let voice = |name: &str, role| Voice { name: name.into(), role, words_per_minute: 150.0 };
        vec![voice("Rep", SpeakerRole::Rep), voice("Buyer", SpeakerRole::Customer)]
    }

    #[test]
    fn sentences_split_on_stops_followed_by_a_space() {
        let split: Vec<&str> = sentences("Hi. It's 3.5 percent? Yes! Done").collect();
        assert_eq!(split, ["Hi.", "It's 3.5 percent?", "Yes!", "Done"]);
    }

    #[test]
    fn utterances_follow_the_pace_and_never_overlap_their_own_speaker() {
        let sentence = "This is a sentence of exactly ten words, give or take.";
        let long = vec![sentence; 30].join(" ");
        let turns = vec![
            Turn { speaker: REP, text: "Hi there. How are you?".into() },
            Turn { speaker: BUYER, text: "Fine, thanks.".into() },
            Turn { speaker: REP, text: long },
            Turn { speaker: BUYER, text: "Okay.".into() },
        ];
        let mut rng = stream(3, Stream::CallScripts, 1);
        let (rows, duration) = time_turns(&turns, &voices(), &TALK_STYLES[1], &mut rng);
        assert!(rows.windows(2).all(|w| w[0].start_ms <= w[1].start_ms));
        assert!(rows.iter().enumerate().all(|(i, r)| r.index as usize == i && r.end_ms > r.start_ms));
        for speaker in ["Rep", "Buyer"] {
            let own: Vec<&UtteranceRow> =
                rows.iter().filter(|r| r.speaker.as_deref() == Some(speaker)).collect();
            assert!(own.windows(2).all(|w| w[0].end_ms < w[1].start_ms), "{speaker} overlaps itself");
        }
        // The long turn is split, and 300 words at about 150 a minute take about two minutes.
        let rep_long: Vec<&UtteranceRow> = rows.iter().filter(|r| r.text.starts_with("This is")).collect();
        assert!(rep_long.len() >= 4, "{} pieces", rep_long.len());
        let span = rep_long.last().unwrap().end_ms - rep_long[0].start_ms;
        assert!((100_000..150_000).contains(&span), "{span} ms");
        assert!(duration > rows.last().unwrap().end_ms);
    }
}
