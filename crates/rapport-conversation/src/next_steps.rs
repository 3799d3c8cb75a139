//! Next steps and action items: who committed to what, and by when.
//!
//! A sentence holds a commitment when a commitment opener is followed (within two words,
//! for "I'll *just* send", "we can *then* set up") by an action verb:
//! - "I'll", "I will", "I'm going to", "let me", "I can" → the speaker;
//! - "we'll", "we will", "we're going to", "we can", "our team will" → the speaker's side;
//! - "let's", "let us" → both sides;
//! - "can you", "could you", "would you", "will you", "you'll", "please" → the other side.
//!
//! Requiring an action verb ("send", "schedule", "get", …) keeps "I'll be honest" and "we
//! can see that" out. What was committed is the clause from the opener to the end of the
//! sentence; when comes from [`crate::dates`], resolved against the call's date.

use chrono::NaiveDate;
use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::dates::{find_when, When};
use crate::text::{normalised_tokens, sentences};
use crate::Side;

/// Who is to act on a next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The speaker personally ("I'll send…").
    Speaker,
    /// The speaker's side ("we will…").
    SpeakerSide,
    /// The side spoken to ("can you get me…").
    OtherSide,
    /// Both sides ("let's schedule…").
    Both,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    pub utterance: usize,
    pub time_s: f64,
    /// Who said it.
    pub speaker: Option<String>,
    pub speaker_side: Side,
    pub owner: Owner,
    /// The side that is to act; `None` when both are.
    pub owner_side: Option<Side>,
    /// The commitment clause as said ("I'll send the proposal by Friday").
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
}

const OPENERS: &[(&[&str], Owner)] = &[
    (&["i", "will"], Owner::Speaker),
    (&["ill"], Owner::Speaker),
    (&["im", "going", "to"], Owner::Speaker),
    (&["i", "am", "going", "to"], Owner::Speaker),
    (&["let", "me"], Owner::Speaker),
    (&["i", "can"], Owner::Speaker),
    (&["we", "will"], Owner::SpeakerSide),
    (&["well"], Owner::SpeakerSide),
    (&["were", "going", "to"], Owner::SpeakerSide),
    (&["we", "are", "going", "to"], Owner::SpeakerSide),
    (&["we", "can"], Owner::SpeakerSide),
    (&["our", "team", "will"], Owner::SpeakerSide),
    (&["lets"], Owner::Both),
    (&["let", "us"], Owner::Both),
    (&["can", "you"], Owner::OtherSide),
    (&["could", "you"], Owner::OtherSide),
    (&["would", "you"], Owner::OtherSide),
    (&["will", "you"], Owner::OtherSide),
    (&["youll"], Owner::OtherSide),
    (&["you", "will"], Owner::OtherSide),
    (&["please"], Owner::OtherSide),
];

/// Verbs of doing something after the call.
const ACTIONS: &[&str] = &[
    "send",
    "share",
    "schedule",
    "set",
    "book",
    "follow",
    "get",
    "put",
    "loop",
    "introduce",
    "review",
    "check",
    "circle",
    "email",
    "call",
    "forward",
    "prepare",
    "draft",
    "write",
    "sign",
    "run",
    "connect",
    "invite",
    "confirm",
    "reach",
    "demo",
    "provide",
    "update",
    "ping",
    "arrange",
    "organise",
    "organize",
    "finalize",
    "finalise",
    "bring",
    "pull",
    "ask",
    "touch",
    "meet",
    "talk",
    "speak",
    "discuss",
    "present",
    "start",
    "kick",
    "look",
    "find",
    "compile",
    "put",
    "walk",
    "give",
    "grab",
    "loop",
    "hop",
    "jump",
    "dig",
    "test",
    "try",
    "trial",
    "install",
    "onboard",
    "deliver",
    "submit",
    "approve",
    "come",
    "chat",
    "text",
    "message",
    "plan",
    "coordinate",
];

/// Next steps in the call, in order.
pub fn next_steps(transcript: &Transcript, call_date: Option<NaiveDate>) -> Vec<NextStep> {
    let mut steps = Vec::new();
    for (index, utterance) in transcript.utterances.iter().enumerate() {
        let side = Side::of(utterance.role);
        for sentence in sentences(&utterance.text) {
            let tokens = normalised_tokens(sentence);
            let Some((at, owner)) = commitment(sentence, &tokens) else { continue };
            let owner_side = match owner {
                Owner::Speaker | Owner::SpeakerSide => Some(side),
                Owner::OtherSide => Some(other(side)),
                Owner::Both => None,
            };
            steps.push(NextStep {
                utterance: index,
                time_s: utterance.start,
                speaker: utterance.speaker.clone(),
                speaker_side: side,
                owner,
                owner_side,
                what: clause(sentence, at),
                when: find_when(&tokens[at..], call_date),
            });
        }
    }
    steps
}

/// Openers whose first token is a contraction with the apostrophe dropped, and that
/// contraction: "well", "lets" and "were" are ordinary words too ("it lets you send"), so
/// they count only when the sentence really says "we'll", "let's", "we're".
const CONTRACTIONS: &[(&str, &str)] = &[
    ("ill", "i'll"),
    ("well", "we'll"),
    ("lets", "let's"),
    ("were", "we're"),
    ("youll", "you'll"),
    ("im", "i'm"),
];

/// The first opener followed by an action verb: the token where the opener starts.
fn commitment(sentence: &str, tokens: &[String]) -> Option<(usize, Owner)> {
    let lower = sentence.to_lowercase().replace('’', "'");
    (0..tokens.len()).find_map(|at| {
        OPENERS.iter().find_map(|(opener, owner)| {
            let here = tokens.get(at..at + opener.len())?;
            if !here.iter().zip(opener.iter()).all(|(token, word)| token == word) {
                return None;
            }
            let contraction = CONTRACTIONS.iter().find(|(token, _)| *token == opener[0]);
            if contraction.is_some_and(|(_, written)| !lower.contains(written)) {
                return None;
            }
            let after = &tokens[at + opener.len()..];
            after.iter().take(3).any(|token| ACTIONS.contains(&token.as_str())).then_some((at, *owner))
        })
    })
}

/// The sentence from its `word_index`-th word on, as said, without closing punctuation.
fn clause(sentence: &str, word_index: usize) -> String {
    let mut seen = 0;
    let mut in_word = false;
    for (offset, character) in sentence.char_indices() {
        let word_character =
            character.is_alphanumeric() || (in_word && (character == '\'' || character == '’'));
        if word_character && !in_word {
            if seen == word_index {
                return sentence[offset..].trim_end_matches(['.', '!', '?', ' ']).to_owned();
            }
            seen += 1;
        }
        in_word = word_character;
    }
    sentence.trim_end_matches(['.', '!', '?', ' ']).to_owned()
}

fn other(side: Side) -> Side {
    match side {
        Side::Rep => Side::Customer,
        Side::Customer => Side::Rep,
    }
}
