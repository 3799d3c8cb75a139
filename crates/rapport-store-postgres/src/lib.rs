//! Rapport's server storage backend: the [`rapport_store::Store`] API on PostgreSQL.
//!
//! It uses the blocking `postgres` client (the storage API is synchronous; see
//! `rapport-store`) with a small r2d2 pool of connections, each caching its prepared
//! statements. Connections are made without TLS (`NoTls`): Rapport expects its database on
//! the same host or a trusted private network; put a TLS-terminating proxy or an SSH tunnel in
//! between otherwise. The password in a URL never appears in errors.
//!
//! Storage conventions match the SQLite backend so both behave alike: times are BIGINT
//! milliseconds since the Unix epoch (UTC), money is BIGINT cents, free attributes are JSONB.
//! The schema lives in `migrations/`, applied on open under an advisory lock.
//!
//! Concurrency: unlike SQLite's single writer, write transactions run side by side. A change
//! to a person's history locks the person's row first (`SELECT … FOR UPDATE`), so concurrent
//! transitions of one person serialise and the `person_stage` projection stays equal to the
//! history. Batches are written with set-based statements (arrays through `unnest`) that
//! behave as if each row were written in turn (`tests/matches_sqlite.rs` holds them to the
//! SQLite backend's results). Two imports racing to insert the same new rows do not fail: the
//! later one waits for the earlier, then treats the rows as existing.
//!
//! Tests need a server: `RAPPORT_TEST_POSTGRES_URL`, by default
//! `postgres://postgres@127.0.0.1:5432/test`. Each works in its own [`TemporarySchema`], so
//! they run in parallel; an unreachable server fails them. `examples/upsert_throughput.rs`
//! measures import speed next to SQLite's.

mod analysis;
mod calls;
mod connection;
mod content;
mod convert;
mod facts;
mod history;
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
mod schema;
mod scoring;
mod search;
mod store;
mod topics;
mod touches;
mod transcripts;
mod users;
mod web;
mod write;

use rapport_store::StoreError;

pub use migrate::{Migration, MIGRATIONS};
pub use schema::TemporarySchema;

/// A Rapport store kept in a PostgreSQL database (in one schema of it).
#[derive(Debug)]
pub struct PostgresStore {
    pool: pool::Pool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`, or
    /// the key-value form) and applies the migrations it lacks, in the first schema of the
    /// role's `search_path` (normally `public`).
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        Self::open_with(pool::Settings::parse(url, None)?, None)
    }

    /// Like [`PostgresStore::open`], but keeps everything in `schema`, created if missing:
    /// every pooled connection gets `search_path` set to it. Several stores (the tests') can
    /// then share one database. `schema` must be a plain lower-case SQL name.
    pub fn open_in_schema(url: &str, schema: &str) -> Result<PostgresStore, StoreError> {
        let settings = pool::Settings::parse(url, Some(schema::checked_name(url, schema)?))?;
        Self::open_with(settings, Some(schema))
    }

    fn open_with(settings: pool::Settings, schema: Option<&str>) -> Result<PostgresStore, StoreError> {
        // A direct connection first: it reports an unreachable server or a bad password at
        // once, with the server's own message, instead of after the pool's checkout timeout.
        let mut client = settings.connect()?;
        migrate::apply(&mut client, schema)?;
        drop(client);
        Ok(PostgresStore { pool: pool::Pool::new(settings) })
    }
}
