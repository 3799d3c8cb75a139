//! A small pool of open connections: opening a SQLite connection and preparing statements
//! costs more than most queries, so connections are reused.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use rapport_store::StoreError;

/// How many idle connections are kept; more can be open at once, the rest are closed.
const MAX_IDLE: usize = 8;

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub(crate) struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

/// A connection borrowed from the pool; it goes back when dropped.
#[derive(Debug)]
pub(crate) struct PooledConnection<'pool> {
    pool: &'pool Pool,
    connection: Option<Connection>,
}

impl Pool {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self { path, idle: Mutex::new(Vec::new()) }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn get(&self) -> Result<PooledConnection<'_>, StoreError> {
        // A poisoned lock only means another thread panicked while pushing or popping; the
        // list of connections itself is still valid.
        let reused = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
        let connection = match reused {
            Some(connection) => connection,
            None => self.open_connection()?,
        };
        Ok(PooledConnection { pool: self, connection: Some(connection) })
    }

    fn open_connection(&self) -> Result<Connection, StoreError> {
        let open_error = |e: rusqlite::Error| StoreError::Open {
            location: self.path.display().to_string(),
            message: e.to_string(),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let connection = Connection::open_with_flags(&self.path, flags).map_err(open_error)?;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA temp_store = MEMORY;
                 PRAGMA cache_size = -65536;",
            )
            .map_err(open_error)?;
        connection.set_prepared_statement_cache_capacity(128);
        Ok(connection)
    }
}

impl Deref for PooledConnection<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // Only `drop` takes the connection out.
        self.connection.as_ref().unwrap_or_else(|| unreachable!("connection used after release"))
    }
}

impl DerefMut for PooledConnection<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.connection.as_mut().unwrap_or_else(|| unreachable!("connection used after release"))
    }
}

impl Drop for PooledConnection<'_> {
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else { return };
        // A connection left inside a transaction (a failed rollback) must not be reused.
        if !connection.is_autocommit() {
            return;
        }
        let mut idle = self.pool.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(connection);
        }
    }
}
