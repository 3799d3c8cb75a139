//! The store's errors: user errors (what was wrong and where) apart from internal ones.

use rapport_domain::{InvalidField, JobId, TransitionError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A referenced record does not exist.
    #[error("no {what} `{key}`")]
    NotFound { what: &'static str, key: String },
    /// The lifecycle refused a stage change.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// A value the database would not take (too long, out of range, duplicate key).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A worker reported on a job it no longer holds: its lease expired and the job was
    /// claimed again (or it finished). The worker must stop working on it.
    #[error("job {job} is no longer held by worker `{worker_id}` (attempt {attempt}): its lease expired and it was claimed again, or it finished")]
    JobNotHeld { job: JobId, worker_id: String, attempt: u32 },
    /// The database URL or file cannot be used.
    #[error("cannot open the database at {location}: {message}")]
    Open { location: String, message: String },
    /// Applying a migration failed; nothing of it was applied.
    #[error("migration {version} ({name}) failed: {message}")]
    Migration { version: u32, name: String, message: String },
    /// The database refused or failed an operation. The message is for logs, not users.
    #[error("database error: {0}")]
    Database(String),
}

impl From<InvalidField> for StoreError {
    fn from(error: InvalidField) -> Self {
        Self::Invalid { field: error.field, message: error.message }
    }
}

impl StoreError {
    /// Whether this error was caused by the caller's input rather than by the system.
    pub fn is_user_error(&self) -> bool {
        matches!(self, Self::NotFound { .. } | Self::Transition(_) | Self::Invalid { .. })
    }
}

/// Why one imported row was not written. `field` names the input field at fault so the
/// importer can point at the CSV column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RowRejection {
    pub field: String,
    pub message: String,
}

impl RowRejection {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}
