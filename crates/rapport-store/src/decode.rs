//! Stored column values read back into domain values, shared by the backends: both keep times
//! as milliseconds and enums as their text codes. A value that does not parse back means the
//! database was edited by hand or is corrupt, which is an internal error, not the user's.

use chrono::TimeZone;
use rapport_domain::{
    EmailAddress, EventSource, FunnelStage, OpportunityOutcome, Role, Stage, Timestamp, TouchKind,
};

use crate::StoreError;

pub fn millis(time: Timestamp) -> i64 {
    time.timestamp_millis()
}

pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A stored value that does not parse back means the file was edited by hand or corrupted.
pub fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("stored {what} `{value}` cannot be read back"))
}

pub fn time(ms: i64) -> Result<Timestamp, StoreError> {
    chrono::Utc.timestamp_millis_opt(ms).single().ok_or_else(|| corrupt("time", ms))
}

pub fn optional_time(ms: Option<i64>) -> Result<Option<Timestamp>, StoreError> {
    ms.map(time).transpose()
}

pub fn stage(text: &str) -> Result<Stage, StoreError> {
    Stage::parse(text).ok_or_else(|| corrupt("stage", text))
}

pub fn optional_stage(text: Option<String>) -> Result<Option<Stage>, StoreError> {
    text.as_deref().map(stage).transpose()
}

pub fn touch_kind(text: &str) -> Result<TouchKind, StoreError> {
    TouchKind::parse(text).ok_or_else(|| corrupt("touch kind", text))
}

pub fn source(text: &str) -> Result<EventSource, StoreError> {
    EventSource::parse(text).ok_or_else(|| corrupt("event source", text))
}

pub fn role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or_else(|| corrupt("role", text))
}

pub fn funnel_stage(text: Option<String>) -> Result<Option<FunnelStage>, StoreError> {
    text.map(|t| FunnelStage::parse(&t).ok_or_else(|| corrupt("funnel stage", t))).transpose()
}

pub fn outcome(text: &str) -> Result<OpportunityOutcome, StoreError> {
    match text {
        "open" => Ok(OpportunityOutcome::Open),
        "won" => Ok(OpportunityOutcome::Won),
        "lost" => Ok(OpportunityOutcome::Lost),
        other => Err(corrupt("opportunity outcome", other)),
    }
}

pub fn email(text: &str) -> Result<EmailAddress, StoreError> {
    EmailAddress::parse(text).map_err(|_| corrupt("email", text))
}

pub fn optional_email(text: Option<String>) -> Result<Option<EmailAddress>, StoreError> {
    text.as_deref().map(email).transpose()
}

pub fn employees(value: Option<i64>) -> Result<Option<u32>, StoreError> {
    value.map(|v| u32::try_from(v).map_err(|_| corrupt("employee count", v))).transpose()
}
