//! Rapport's use cases, shared by the CLI and the HTTP API: lead actions by email, report
//! assembly, API tokens, users, reason codes, who may do what, calls in (transcripts and
//! recordings) and the worker that transcribes them.
//!
//! Synchronous and free of HTTP: every function takes a `&dyn Store` and plain values, parses
//! what it is given at the edge ([`rapport_domain::EmailAddress::parse`], …), and returns an
//! [`AppError`] that keeps the caller's mistakes ([`AppError::is_user_error`]) apart from the
//! system's failures. The HTTP server runs these functions on `spawn_blocking`.

pub mod analysis;
pub mod audit;
pub mod calls;
pub mod content_usage;
mod error;
mod heartbeat;
pub mod leads;
pub mod passwords;
pub mod permissions;
pub mod reasons;
pub mod report_cache;
pub mod report_memo;
pub mod reports;
pub mod scoring;
pub mod search;
pub mod sessions;
pub mod signals;
pub mod smart;
pub mod speech;
pub mod team_stats;
mod team_stats_cache;
pub mod tokens;
pub mod topics;
pub mod trackers;
pub mod transcript_rows;
pub mod users;
pub mod visibility;
pub mod voc;
pub mod worker;

pub use error::AppError;

use rapport_domain::{Actor, EventSource, Timestamp};

/// Who is making a lead change, through which door, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeOptions {
    pub actor: Actor,
    pub source: EventSource,
    pub note: Option<String>,
    /// Record the change even when the lifecycle does not allow it (kept on the event).
    pub force: bool,
    pub at: Timestamp,
}

#[cfg(test)]
mod test_support;
