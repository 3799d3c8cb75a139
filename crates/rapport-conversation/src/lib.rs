//! Conversation analytics over one call's transcript: interaction stats (talk ratio,
//! monologues, interactivity, patience, questions, pace, fillers), keyword trackers,
//! questions, a topic timeline, sentiment, next steps, content mentions and PII redaction,
//! all behind [`analyze_call`]; and team averages and rep trends over many calls' stats.
//!
//! Pure: it takes a [`rapport_transcript::Transcript`] and returns data; no IO, no async.
//! Sides follow the product's definition: speakers with [`Role::Rep`] are the company's
//! reps; everyone else (customers and speakers of unknown role) is the customer side,
//! because a call's non-company speakers are whoever the rep is talking to.

mod analysis;
mod content;
mod counts;
mod dates;
mod dfa_lanes;
mod intervals;
mod matcher;
mod next_steps;
mod questions;
mod redact;
mod scan;
mod sentiment;
mod sentiment_lexicon;
mod stats;
mod team;
mod text;
mod topics;
mod trackers;

pub use analysis::{analyze_call, AnalysisOptions, CallAnalysis};
pub use content::{
    parse_content_csv, parse_content_toml, url_words, ContentError, ContentItem, ContentMatcher,
    ContentMention,
};
pub use dates::{find_when, When};
pub use next_steps::{next_steps, NextStep, Owner};
pub use questions::{question_kind, questions, Question, QuestionCounts, QuestionKind, Questions};
pub use redact::{find_pii, redact, redact_transcript, PiiKind, PiiMatch, Redacted, RedactionCounts};
pub use sentiment::{
    call_sentiment, sentiment_score, CallSentiment, SentimentLabel, SentimentTrend, SideSentiment,
    UtteranceSentiment, METHOD as SENTIMENT_METHOD, NEUTRAL_BAND,
};
pub use team::{averages, team_report, MetricAverages, MonthAverages, RepCall, RepTrend, TeamReport};
pub use topics::{phase_of, topic_timeline, CallPhase, TopicSegment, TopicSource, MIN_SEGMENT_S};

pub use matcher::{TrackerHit, TrackerMatcher, SUFFIXES};
pub use stats::{
    call_stats, CallStats, SideStats, SpeakerStats, INTERACTIVITY_FULL_SCALE_SWITCHES_PER_MINUTE,
};
pub use text::{is_question, normalised_tokens, FILLERS};
pub use trackers::{
    default_trackers, default_trackers_with_competitors, parse_trackers, SideFilter, Tracker, TrackerError,
    COMPETITORS, DEFAULT_TRACKERS_TOML,
};

use rapport_transcript::Role;
use serde::{Deserialize, Serialize};

/// Which side of the call an utterance belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Rep,
    Customer,
}

impl Side {
    /// Unknown roles count as the customer side (see the crate documentation).
    pub fn of(role: Role) -> Side {
        match role {
            Role::Rep => Side::Rep,
            Role::Customer | Role::Unknown => Side::Customer,
        }
    }
}

#[cfg(test)]
mod analyses_tests;

#[cfg(test)]
mod analysis_tests;

#[cfg(test)]
mod redact_tests;

#[cfg(test)]
mod stats_tests;

#[cfg(test)]
mod trackers_tests;
