//! Every question asked on a call: who asked it, when, and whether it is open or closed.
//!
//! A sentence is a question by [`crate::is_question`] (the same rule the stats count). Its
//! kind comes from its first words, after leading discourse words ("so", "and", "okay", …):
//! - **open** when it starts with a wh-word or "how" ("what", "why", "how", "where", "when",
//!   "who", "which", …), or is a request to explain ("tell me", "describe", "walk me
//!   through", "explain", "help me understand"), also behind a polite auxiliary ("can you
//!   tell me…", "could you walk me through…");
//! - **closed** otherwise: auxiliary-verb-initial ("do you", "is it", "can we", "would
//!   you") invites yes or no, and so do statements with a question mark ("you use Gong?")
//!   and tag questions ("right?").

use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::text::{is_question, normalised_tokens, sentences, skip_discourse, OPEN_REQUESTS, WH_WORDS};
use crate::Side;

/// Open questions invite a story; closed ones a yes, no or a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Index into the transcript's utterances.
    pub utterance: usize,
    pub speaker: Option<String>,
    pub side: Side,
    /// The utterance's start, in seconds.
    pub time_s: f64,
    /// The question sentence as said.
    pub text: String,
    pub kind: QuestionKind,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionCounts {
    pub total: usize,
    pub open: usize,
    pub closed: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Questions {
    pub questions: Vec<Question>,
    pub rep: QuestionCounts,
    pub customer: QuestionCounts,
}

const POLITE_AUXILIARIES: &[&str] = &["can", "could", "would", "will"];

/// Open or closed, by the rule in the module documentation.
pub fn question_kind(sentence: &str) -> QuestionKind {
    let tokens = normalised_tokens(sentence);
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let words = skip_discourse(&tokens);
    let request_at =
        |at: usize| OPEN_REQUESTS.iter().any(|request| words.get(at..at + request.len()) == Some(*request));
    let open = words.first().is_some_and(|first| WH_WORDS.contains(first))
        || request_at(0)
        || (words.first().is_some_and(|first| POLITE_AUXILIARIES.contains(first))
            && words.get(1).is_some_and(|second| *second == "you")
            && (request_at(2) || words.get(2).is_some_and(|third| *third == "please") && request_at(3)));
    if open {
        QuestionKind::Open
    } else {
        QuestionKind::Closed
    }
}

/// Every question in the call, in utterance order, with counts per side.
pub fn questions(transcript: &Transcript) -> Questions {
    let mut result = Questions::default();
    for (index, utterance) in transcript.utterances.iter().enumerate() {
        let side = Side::of(utterance.role);
        for sentence in sentences(&utterance.text).filter(|sentence| is_question(sentence)) {
            let kind = question_kind(sentence);
            let counts = match side {
                Side::Rep => &mut result.rep,
                Side::Customer => &mut result.customer,
            };
            counts.total += 1;
            match kind {
                QuestionKind::Open => counts.open += 1,
                QuestionKind::Closed => counts.closed += 1,
            }
            result.questions.push(Question {
                utterance: index,
                speaker: utterance.speaker.clone(),
                side,
                time_s: utterance.start,
                text: sentence.to_owned(),
                kind,
            });
        }
    }
    result
}
