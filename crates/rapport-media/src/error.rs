//! The one error type of this crate: what went wrong with which object, and whether trying
//! again later may help.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The configured location is not a folder or an `s3://bucket/prefix` URL.
    #[error("media location `{location}`: {message}")]
    InvalidLocation { location: String, message: String },

    /// A key object storage cannot hold (empty, `..`, a leading `/`, …).
    #[error("media key `{key}`: {message}")]
    InvalidKey { key: String, message: String },

    #[error("no media object `{key}` in {location}")]
    NotFound { key: String, location: String },

    /// A byte range that starts at or after the end of the object.
    #[error("media object `{key}` has {size} bytes; a range cannot start at byte {start}")]
    RangeNotSatisfiable { key: String, start: u64, size: u64 },

    /// A local file to upload could not be read.
    #[error("{path}: cannot read: {source}")]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The storage backend failed (network, permissions, disk). The message comes from
    /// `object_store`, which names the bucket and key but never the credentials.
    #[error("media store {location}, object `{key}`: {message}")]
    Backend { location: String, key: String, message: String },
}

impl MediaError {
    /// Whether the same request may succeed later: backend failures (a network blip, a busy
    /// store) may; a bad key, a missing object or an unreadable local file will not.
    pub fn is_transient(&self) -> bool {
        matches!(self, MediaError::Backend { .. })
    }

    /// Whether the caller asked for something that cannot be (a bad location, key or range).
    pub fn is_user_error(&self) -> bool {
        !self.is_transient()
    }
}
