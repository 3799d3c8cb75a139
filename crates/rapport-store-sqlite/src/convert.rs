//! Conversions between domain values and their stored forms (milliseconds, text codes).

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

pub(crate) use rapport_store::decode::{
    email, employees, funnel_stage, millis, now_millis, optional_email, optional_stage, optional_time,
    outcome, role, source, stage, time, touch_kind,
};

impl<T> OrDatabaseError<T> for Result<T, rusqlite::types::FromSqlError> {
    fn or_db(self) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::Database(e.to_string()))
    }
}
