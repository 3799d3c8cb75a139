//! Opens the storage backend the database URL names: PostgreSQL for `postgres://…`, else the
//! embedded SQLite file.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use rapport_store::Store;

use crate::config::{redact_url, Config};

/// Where the data lives, parsed from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

pub fn location(config: &Config) -> Location {
    match config.database_url.as_deref() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Location::Postgres(url.to_owned())
        }
        Some(url) => Location::Sqlite(PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url))),
        None => Location::Sqlite(config.data_dir.join("rapport.db")),
    }
}

pub fn open(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    match location(config) {
        Location::Sqlite(path) => {
            let store = rapport_store_sqlite::SqliteStore::open(&path)
                .with_context(|| format!("opening the SQLite database {}", path.display()))?;
            Ok(Arc::new(store))
        }
        Location::Postgres(url) => {
            let store = rapport_store_postgres::PostgresStore::open(&url)
                .with_context(|| format!("opening the PostgreSQL database {}", redact_url(&url)))?;
            Ok(Arc::new(store))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: Option<&str>, expected: Location) {
        let config = Config { database_url: url.map(str::to_owned), ..Config::default() };
        assert_eq!(location(&config), expected);
    }

    #[test]
    fn picks_the_backend_from_the_url() {
        check(None, Location::Sqlite(PathBuf::from("rapport-data/rapport.db")));
        check(Some("sqlite:///tmp/x.db"), Location::Sqlite(PathBuf::from("/tmp/x.db")));
        check(Some("/srv/rapport.db"), Location::Sqlite(PathBuf::from("/srv/rapport.db")));
        check(Some("postgres://u@h/db"), Location::Postgres("postgres://u@h/db".into()));
        check(Some("postgresql://u@h/db"), Location::Postgres("postgresql://u@h/db".into()));
    }
}
