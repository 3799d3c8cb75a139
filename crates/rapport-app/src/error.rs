//! The use cases' error: the caller's mistakes (say what and where) apart from system failures.

use rapport_domain::TransitionError;
use rapport_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A record named by the caller does not exist.
    #[error("no {what} `{key}`")]
    NotFound { what: &'static str, key: String },
    /// A value the caller gave is malformed or refers to nothing usable.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The lifecycle refused the stage change.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// Storage failed; the message is for logs, not for users.
    #[error(transparent)]
    Store(StoreError),
}

impl AppError {
    /// Whether the caller can fix this by changing what they asked for.
    pub fn is_user_error(&self) -> bool {
        match self {
            Self::NotFound { .. } | Self::Invalid { .. } | Self::Forbidden(_) | Self::Transition(_) => true,
            Self::Store(error) => error.is_user_error(),
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }
}

/// The store's user errors become this crate's user variants, so callers match on one enum.
impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { what, key } => Self::NotFound { what, key },
            StoreError::Invalid { field, message } => Self::Invalid { field, message },
            StoreError::Transition(error) => Self::Transition(error),
            other => Self::Store(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_user_errors_map_to_user_variants() {
        let not_found: AppError = StoreError::NotFound { what: "person", key: "a@b.co".into() }.into();
        assert!(matches!(not_found, AppError::NotFound { what: "person", .. }));
        assert!(not_found.is_user_error());
        let invalid: AppError = StoreError::Invalid { field: "code".into(), message: "empty".into() }.into();
        assert_eq!(invalid.to_string(), "code: empty");
        let database: AppError = StoreError::Database("disk I/O error".into()).into();
        assert!(matches!(database, AppError::Store(_)));
        assert!(!database.is_user_error());
    }
}
