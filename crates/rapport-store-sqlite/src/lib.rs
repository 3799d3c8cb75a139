//! Rapport's embedded storage backend: the [`rapport_store::Store`] API on one SQLite file.
//!
//! The file runs in WAL mode so readers never wait for the writer; writes serialise through
//! `BEGIN IMMEDIATE` (one writer at a time, others wait up to the busy timeout). Connections
//! come from a small pool of reusable connections, so prepared statements stay cached.
//!
//! Storage conventions: times are INTEGER milliseconds since the Unix epoch (UTC), money is
//! INTEGER cents, free attributes are JSON text. The schema lives in `migrations/`.

mod analysis;
mod calls;
mod content;
mod convert;
mod facts;
mod jobs;
mod lifecycle;
mod migrate;
mod opportunities;
mod people;
mod pool;
mod queue;
mod reads;
mod records;
mod revision;
mod scoring;
mod search;
mod store;
mod topics;
mod touches;
mod transcripts;
mod users;
mod web;
mod write;

use std::path::Path;

use rapport_store::StoreError;

pub use migrate::MIGRATIONS;

/// A Rapport store kept in one SQLite database file.
#[derive(Debug)]
pub struct SqliteStore {
    pool: pool::Pool,
}

impl SqliteStore {
    /// Opens (creating if needed, with its parent folder) the database at `path`, sets it up
    /// for concurrent use and applies the migrations it lacks.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let open_error = |message: String| StoreError::Open { location: path.display().to_string(), message };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| open_error(format!("cannot create the folder {}: {e}", parent.display())))?;
        }
        let pool = pool::Pool::new(path.to_path_buf());
        let mut connection = pool.get()?;
        migrate::apply(&mut connection)?;
        drop(connection);
        Ok(SqliteStore { pool })
    }

    /// The database file this store uses.
    pub fn path(&self) -> &Path {
        self.pool.path()
    }
}
