//! Rapport's domain: typed ids, the records a revenue team keeps, and the lead lifecycle rules.
//!
//! This crate is pure: it knows nothing of SQL, HTTP, files or async. Values are parsed at the
//! edge into these types (see [`EmailAddress::parse`], [`Stage::parse`]) so the rest of the
//! system never re-validates them.

pub mod calls;
mod email;
mod entities;
pub mod facts;
mod ids;
pub mod jobs;
pub mod lifecycle;
mod time;

pub use calls::{
    Call, CallRecord, CallSource, CallStatus, InvalidField, Participant, SpeakerRole, UtteranceRow, WordRow,
};
pub use email::{EmailAddress, EmailError};
pub use entities::*;
pub use facts::*;
pub use ids::*;
pub use jobs::{Backoff, ClaimedJob, Job, JobLease, JobStatus, NewJob, Retry};
pub use lifecycle::{
    check_transition, Actor, EventSource, ReasonCode, Stage, StageEvent, TransitionError, TransitionRequest,
    DEFAULT_REJECTION_REASONS,
};
pub use time::{parse_timestamp, size_band, Timestamp, TimestampError};
