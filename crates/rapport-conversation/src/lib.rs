//! Conversation analytics over one call's transcript: interaction stats (talk ratio,
//! monologues, interactivity, patience, questions, pace, fillers) and keyword trackers.
//!
//! Pure: it takes a [`rapport_transcript::Transcript`] and returns data; no IO, no async.
//! Sides follow the product's definition: speakers with [`Role::Rep`] are the company's
//! reps; everyone else (customers and speakers of unknown role) is the customer side,
//! because a call's non-company speakers are whoever the rep is talking to.

mod intervals;
mod matcher;
mod stats;
mod text;
mod trackers;

pub use matcher::{TrackerHit, TrackerMatcher, SUFFIXES};
pub use stats::{
    call_stats, CallStats, SideStats, SpeakerStats, INTERACTIVITY_FULL_SCALE_SWITCHES_PER_MINUTE,
};
pub use text::{is_question, normalised_tokens, FILLERS};
pub use trackers::{
    default_trackers, parse_trackers, SideFilter, Tracker, TrackerError, DEFAULT_TRACKERS_TOML,
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
mod stats_tests;

#[cfg(test)]
mod trackers_tests;
