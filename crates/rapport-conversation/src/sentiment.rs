//! Sentiment per utterance and per side, by a VADER-style lexicon method (Hutto & Gilbert,
//! 2014), with a lexicon of our own written for sales conversations (`sentiment_lexicon.rs`).
//!
//! Per sentence: each lexicon word or phrase contributes its valence (−4…+4); a negation
//! within the three words before it flips and damps it (× −0.74); an intensifier just before
//! it ("very", "really") adds 0.293 in its direction, a dampener ("slightly", "a bit")
//! subtracts as much; in a sentence with "but" (or "however", "although"), what comes before
//! counts half and what comes after one and a half times; a word in capitals in a mixed-case
//! sentence counts 0.733 more; each `!` (up to four) adds 0.292 to the sum's magnitude. The
//! sum `s` becomes a compound score `s / sqrt(s² + 15)` in −1…+1. An utterance's score is the
//! mean of its sentences'; labels: ≥ 0.05 positive, ≤ −0.05 negative, else neutral (VADER's
//! thresholds). Accuracy on a hand-labelled fixture is measured by `sentiment_tests.rs`.

use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::sentiment_lexicon::{phrases_starting_with, valence, BOOSTERS, DAMPENERS, NEGATIONS};
use crate::text::{normalised_tokens, sentences};
use crate::Side;

const NEGATION_SCALAR: f64 = -0.74;
const BOOST: f64 = 0.293;
const CAPS_BOOST: f64 = 0.733;
const EXCLAMATION_BOOST: f64 = 0.292;
const NORMALISATION_ALPHA: f64 = 15.0;
/// Compound scores at or beyond ±this are positive / negative.
pub const NEUTRAL_BAND: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
}

impl SentimentLabel {
    pub fn of(compound: f64) -> SentimentLabel {
        if compound >= NEUTRAL_BAND {
            SentimentLabel::Positive
        } else if compound <= -NEUTRAL_BAND {
            SentimentLabel::Negative
        } else {
            SentimentLabel::Neutral
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UtteranceSentiment {
    pub utterance: usize,
    pub side: Side,
    pub time_s: f64,
    /// −1 (most negative) … +1 (most positive).
    pub compound: f64,
    pub label: SentimentLabel,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SideSentiment {
    /// Mean compound over the side's utterances; `None` when it said nothing.
    pub mean: Option<f64>,
    pub positive: usize,
    pub neutral: usize,
    pub negative: usize,
}

/// Mean compound in the first and the last third of the call (by time), and the change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SentimentTrend {
    pub first_third: Option<f64>,
    pub last_third: Option<f64>,
    pub change: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallSentiment {
    pub method: String,
    pub utterances: Vec<UtteranceSentiment>,
    pub rep: SideSentiment,
    pub customer: SideSentiment,
    pub trend: SentimentTrend,
    /// The same trend for the customer side alone: the buyer warming up or cooling down.
    pub customer_trend: SentimentTrend,
}

/// The method's name as reported in [`CallSentiment::method`].
pub const METHOD: &str = "lexicon (VADER-style rules, Rapport sales lexicon)";

/// Compound score of a text (−1…+1): the mean over its sentences.
pub fn sentiment_score(text: &str) -> f64 {
    let scores: Vec<f64> = sentences(text).map(sentence_score).collect();
    if scores.is_empty() {
        0.0
    } else {
        scores.iter().sum::<f64>() / scores.len() as f64
    }
}

fn sentence_score(sentence: &str) -> f64 {
    let tokens = normalised_tokens(sentence);
    let raw_words: Vec<&str> =
        sentence.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').collect();
    let raw_words: Vec<&str> = raw_words.into_iter().filter(|w| !w.is_empty()).collect();
    // Capitals count as emphasis only when the sentence is not all capitals.
    let mixed_case = sentence.chars().any(char::is_lowercase);
    let shouted = |index: usize| {
        mixed_case
            && raw_words.get(index).is_some_and(|word| {
                word.chars().count() > 1 && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
            })
    };
    let but_at = tokens.iter().position(|t| matches!(t.as_str(), "but" | "however" | "although" | "though"));
    let mut sum = 0.0;
    let mut index = 0;
    while index < tokens.len() {
        let (mut value, length) = match phrase_at(&tokens, index) {
            Some(found) => found,
            None => (valence(&tokens[index]).unwrap_or(0.0), 1),
        };
        if value != 0.0 {
            let direction = value.signum();
            if index > 0 {
                let previous = tokens[index - 1].as_str();
                if BOOSTERS.contains(&previous) {
                    value += direction * BOOST;
                } else if DAMPENERS.contains(&previous) {
                    value -= direction * BOOST;
                }
            }
            if (index..index + length).any(&shouted) {
                value += direction * CAPS_BOOST;
            }
            if negated(&tokens, index) {
                value *= NEGATION_SCALAR;
            }
            if let Some(but) = but_at {
                value *= if index < but { 0.5 } else { 1.5 };
            }
            sum += value;
        }
        index += length;
    }
    let exclamations = sentence.matches('!').count().min(4) as f64;
    if sum != 0.0 {
        sum += sum.signum() * exclamations * EXCLAMATION_BOOST;
    }
    sum / (sum * sum + NORMALISATION_ALPHA).sqrt()
}

/// A multi-word lexicon phrase starting at `index`: its valence and length in words.
fn phrase_at(tokens: &[String], index: usize) -> Option<(f64, usize)> {
    phrases_starting_with(&tokens[index]).iter().find_map(|(words, value)| {
        let here = tokens.get(index..index + words.len())?;
        here.iter().zip(words).all(|(token, word)| token == word).then_some((*value, words.len()))
    })
}

/// A negation among the three words before `index` ("not really good", "isn't that great").
fn negated(tokens: &[String], index: usize) -> bool {
    tokens[index.saturating_sub(3)..index].iter().any(|token| NEGATIONS.contains(&token.as_str()))
}

/// Sentiment of every utterance, per side, and the trend from the first to the last third.
pub fn call_sentiment(transcript: &Transcript) -> CallSentiment {
    let mut result = CallSentiment { method: METHOD.to_owned(), ..CallSentiment::default() };
    for (index, utterance) in transcript.utterances.iter().enumerate() {
        let compound = sentiment_score(&utterance.text);
        let side = Side::of(utterance.role);
        result.utterances.push(UtteranceSentiment {
            utterance: index,
            side,
            time_s: utterance.start,
            compound,
            label: SentimentLabel::of(compound),
        });
    }
    result.rep = side_sentiment(&result.utterances, Side::Rep);
    result.customer = side_sentiment(&result.utterances, Side::Customer);
    let duration_s = transcript.duration_s.unwrap_or(0.0).max(transcript.last_end());
    result.trend = trend(&result.utterances, duration_s, |_| true);
    result.customer_trend = trend(&result.utterances, duration_s, |u| u.side == Side::Customer);
    result
}

fn side_sentiment(utterances: &[UtteranceSentiment], side: Side) -> SideSentiment {
    let mut stats = SideSentiment::default();
    let scores: Vec<f64> = utterances.iter().filter(|u| u.side == side).map(|u| u.compound).collect();
    for score in &scores {
        match SentimentLabel::of(*score) {
            SentimentLabel::Positive => stats.positive += 1,
            SentimentLabel::Neutral => stats.neutral += 1,
            SentimentLabel::Negative => stats.negative += 1,
        }
    }
    stats.mean = mean(&scores);
    stats
}

fn trend(
    utterances: &[UtteranceSentiment],
    duration_s: f64,
    keep: impl Fn(&UtteranceSentiment) -> bool,
) -> SentimentTrend {
    let third = duration_s / 3.0;
    let scores = |inside: &dyn Fn(f64) -> bool| -> Vec<f64> {
        utterances.iter().filter(|u| keep(u) && inside(u.time_s)).map(|u| u.compound).collect()
    };
    let first_third = mean(&scores(&|time| time < third));
    let last_third = mean(&scores(&|time| time >= duration_s - third));
    let change = first_third.zip(last_third).map(|(first, last)| last - first);
    SentimentTrend { first_third, last_third, change }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}
