//! Throw-away schemas, so tests (or trials) can each use a fresh store in one shared database
//! and run in parallel; the schema and everything in it are dropped with the guard.

use std::sync::atomic::{AtomicU32, Ordering};

use rapport_store::StoreError;

use crate::pool::Settings;
use crate::PostgresStore;

/// A uniquely named schema that exists while this guard lives; dropping the guard runs
/// `DROP SCHEMA … CASCADE`. Drop the stores opened in it first (a `(store, guard)` pair
/// does, as fields drop in order).
#[derive(Debug)]
pub struct TemporarySchema {
    url: String,
    name: String,
}

impl TemporarySchema {
    /// Creates a new empty schema named `<prefix>_<process>_<counter>_<time>`. `prefix` is a
    /// short lower-case name.
    pub fn new(url: &str, prefix: &str) -> Result<TemporarySchema, StoreError> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name =
            format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        checked_name(url, &name)?;
        let mut client = Settings::parse(url, None)?.connect()?;
        client.batch_execute(&format!("CREATE SCHEMA \"{name}\"")).map_err(crate::convert::db)?;
        Ok(TemporarySchema { url: url.to_owned(), name })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A store in this schema (migrated on open).
    pub fn open_store(&self) -> Result<PostgresStore, StoreError> {
        PostgresStore::open_in_schema(&self.url, &self.name)
    }

    /// A plain connection with `search_path` set to this schema.
    #[cfg(test)]
    pub(crate) fn connect(&self) -> Result<postgres::Client, StoreError> {
        Settings::parse(&self.url, Some(&self.name))?.connect()
    }
}

impl Drop for TemporarySchema {
    fn drop(&mut self) {
        // Best effort: a schema left behind by a failed drop is harmless test debris.
        if let Ok(mut client) = Settings::parse(&self.url, None).and_then(|s| s.connect()) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name));
        }
    }
}

/// Schema names are spliced into SQL and into the connection options, so only plain names
/// (lower-case letters, digits, `_`, at most 63 bytes, not starting with a digit) are taken.
pub(crate) fn checked_name<'n>(url: &str, name: &'n str) -> Result<&'n str, StoreError> {
    let plain = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        Ok(name)
    } else {
        Err(StoreError::Open {
            location: crate::convert::redact_url(url),
            message: format!("`{name}` is not a plain schema name (a-z, 0-9 and _, at most 63 bytes)"),
        })
    }
}

/// The database the tests use: `RAPPORT_TEST_POSTGRES_URL`, else the local default.
#[cfg(test)]
pub(crate) fn test_url() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_schema_names_are_taken() {
        for good in ["rapport", "t_1", "_x"] {
            assert!(checked_name("postgres://h/db", good).is_ok(), "{good}");
        }
        for bad in ["", "1x", "Rapport", "a b", "a\"b", "a;drop", &"x".repeat(64)] {
            assert!(checked_name("postgres://h/db", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_temporary_schema_is_dropped_with_its_guard() {
        let schema = TemporarySchema::new(&test_url(), "guard").unwrap();
        let name = schema.name().to_owned();
        drop(schema.open_store().unwrap());
        drop(schema);
        let mut client = Settings::parse(&test_url(), None).unwrap().connect().unwrap();
        let left: i64 = client
            .query_one("SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1", &[&name])
            .unwrap()
            .get(0);
        assert_eq!(left, 0);
    }
}
