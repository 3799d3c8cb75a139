//! Conversions between domain values and their stored forms (milliseconds, text codes).

use chrono::TimeZone;
use rapport_domain::{
    EmailAddress, EventSource, FunnelStage, OpportunityOutcome, Role, Stage, Timestamp, TouchKind,
};
use rapport_store::StoreError;

/// Maps a driver error to the store's internal error (logged, never shown to users).
pub(crate) fn db(error: rusqlite::Error) -> StoreError {
    StoreError::Database(error.to_string())
}

/// `?` support for driver results.
pub(crate) trait OrDatabaseError<T> {
    fn or_db(self) -> Result<T, StoreError>;
}

impl<T> OrDatabaseError<T> for Result<T, rusqlite::Error> {
    fn or_db(self) -> Result<T, StoreError> {
        self.map_err(db)
    }
}

pub(crate) fn millis(time: Timestamp) -> i64 {
    time.timestamp_millis()
}

pub(crate) fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A stored value that does not parse back means the file was edited by hand or corrupted.
fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("stored {what} `{value}` cannot be read back"))
}

pub(crate) fn time(ms: i64) -> Result<Timestamp, StoreError> {
    chrono::Utc.timestamp_millis_opt(ms).single().ok_or_else(|| corrupt("time", ms))
}

pub(crate) fn optional_time(ms: Option<i64>) -> Result<Option<Timestamp>, StoreError> {
    ms.map(time).transpose()
}

pub(crate) fn stage(text: &str) -> Result<Stage, StoreError> {
    Stage::parse(text).ok_or_else(|| corrupt("stage", text))
}

pub(crate) fn optional_stage(text: Option<String>) -> Result<Option<Stage>, StoreError> {
    text.as_deref().map(stage).transpose()
}

pub(crate) fn touch_kind(text: &str) -> Result<TouchKind, StoreError> {
    TouchKind::parse(text).ok_or_else(|| corrupt("touch kind", text))
}

pub(crate) fn source(text: &str) -> Result<EventSource, StoreError> {
    EventSource::parse(text).ok_or_else(|| corrupt("event source", text))
}

pub(crate) fn role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or_else(|| corrupt("role", text))
}

pub(crate) fn funnel_stage(text: Option<String>) -> Result<Option<FunnelStage>, StoreError> {
    text.map(|t| FunnelStage::parse(&t).ok_or_else(|| corrupt("funnel stage", t))).transpose()
}

pub(crate) fn outcome(text: &str) -> Result<OpportunityOutcome, StoreError> {
    match text {
        "open" => Ok(OpportunityOutcome::Open),
        "won" => Ok(OpportunityOutcome::Won),
        "lost" => Ok(OpportunityOutcome::Lost),
        other => Err(corrupt("opportunity outcome", other)),
    }
}

pub(crate) fn email(text: &str) -> Result<EmailAddress, StoreError> {
    EmailAddress::parse(text).map_err(|_| corrupt("email", text))
}

pub(crate) fn optional_email(text: Option<String>) -> Result<Option<EmailAddress>, StoreError> {
    text.as_deref().map(email).transpose()
}

pub(crate) fn employees(value: Option<i64>) -> Result<Option<u32>, StoreError> {
    value.map(|v| u32::try_from(v).map_err(|_| corrupt("employee count", v))).transpose()
}

impl<T> OrDatabaseError<T> for Result<T, rusqlite::types::FromSqlError> {
    fn or_db(self) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::Database(e.to_string()))
    }
}
