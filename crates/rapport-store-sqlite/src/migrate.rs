//! Schema migrations: embedded SQL files applied in order, each in its own transaction, and
//! recorded with a checksum so an edited released migration is caught instead of silently
//! leaving databases with different schemas.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

use rapport_store::StoreError;

use crate::convert::now_millis;

#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Released migrations are never edited; add a new one.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../migrations/0001_init.sql") },
    Migration { version: 2, name: "revision", sql: include_str!("../migrations/0002_revision.sql") },
    Migration { version: 3, name: "calls", sql: include_str!("../migrations/0003_calls.sql") },
    Migration {
        version: 4,
        name: "sales_touch_index",
        sql: include_str!("../migrations/0004_sales_touch_index.sql"),
    },
    Migration { version: 5, name: "analysis", sql: include_str!("../migrations/0005_analysis.sql") },
    Migration { version: 6, name: "scoring", sql: include_str!("../migrations/0006_scoring.sql") },
    Migration { version: 7, name: "web", sql: include_str!("../migrations/0007_web.sql") },
    Migration { version: 8, name: "topics", sql: include_str!("../migrations/0008_topics.sql") },
];

pub(crate) fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

pub(crate) fn apply(connection: &mut Connection) -> Result<(), StoreError> {
    apply_migrations(connection, MIGRATIONS)
}

fn apply_migrations(connection: &mut Connection, migrations: &[Migration]) -> Result<(), StoreError> {
    let bookkeeping =
        |message: String| StoreError::Migration { version: 0, name: "bookkeeping".into(), message };
    connection
        .execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version     INTEGER PRIMARY KEY,
                name        TEXT NOT NULL,
                checksum    TEXT NOT NULL,
                applied_at  INTEGER NOT NULL
            )",
        )
        .map_err(|e| bookkeeping(e.to_string()))?;
    let newest_known = migrations.last().map_or(0, |m| m.version);
    let newest_applied: Option<u32> = connection
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |row| row.get(0))
        .map_err(|e| bookkeeping(e.to_string()))?;
    if let Some(newest_applied) = newest_applied.filter(|v| *v > newest_known) {
        return Err(bookkeeping(format!(
            "the database has schema version {newest_applied}, newer than this build of Rapport knows \
             ({newest_known}); upgrade Rapport"
        )));
    }
    for migration in migrations {
        apply_one(connection, migration)?;
    }
    Ok(())
}

/// Applies one migration unless already applied. The check runs inside the write transaction
/// so two processes opening a new file at once do not both apply it.
fn apply_one(connection: &mut Connection, migration: &Migration) -> Result<(), StoreError> {
    let fail = |message: String| StoreError::Migration {
        version: migration.version,
        name: migration.name.to_owned(),
        message,
    };
    let expected = checksum(migration.sql);
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| fail(e.to_string()))?;
    let applied: Option<String> = transaction
        .query_row("SELECT checksum FROM schema_migrations WHERE version = ?1", [migration.version], |row| {
            row.get(0)
        })
        .optional()
        .map_err(|e| fail(e.to_string()))?;
    match applied {
        Some(found) if found == expected => return Ok(()),
        Some(found) => {
            return Err(fail(format!(
                "it was applied with checksum {found} but this build embeds {expected}: released \
                 migrations are never edited; add a new one"
            )))
        }
        None => {}
    }
    transaction.execute_batch(migration.sql).map_err(|e| fail(e.to_string()))?;
    transaction
        .execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            params![migration.version, migration.name, expected, now_millis()],
        )
        .map_err(|e| fail(e.to_string()))?;
    transaction.commit().map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let connection = Connection::open(dir.path().join("test.db")).unwrap();
        (dir, connection)
    }

    #[test]
    fn applies_once_and_records_checksums() {
        let (_dir, mut connection) = fresh();
        apply(&mut connection).unwrap();
        apply(&mut connection).unwrap();
        let rows: Vec<(u32, String)> = connection
            .prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<(u32, String)> = MIGRATIONS.iter().map(|m| (m.version, checksum(m.sql))).collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn an_edited_released_migration_is_refused() {
        let (_dir, mut connection) = fresh();
        apply(&mut connection).unwrap();
        connection.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1", []).unwrap();
        let error = apply(&mut connection).unwrap_err();
        assert!(matches!(error, StoreError::Migration { version: 1, .. }), "{error:?}");
        assert!(error.to_string().contains("released migrations are never edited; add a new one"), "{error}");
    }

    #[test]
    fn a_failing_migration_applies_nothing() {
        let (_dir, mut connection) = fresh();
        let broken =
            [Migration { version: 1, name: "broken", sql: "CREATE TABLE t (x INTEGER); SELEC nonsense;" }];
        let error = apply_migrations(&mut connection, &broken).unwrap_err();
        assert!(matches!(error, StoreError::Migration { version: 1, .. }), "{error:?}");
        let tables: i64 = connection
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 't'", [], |row| row.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let (_dir, mut connection) = fresh();
        apply(&mut connection).unwrap();
        connection.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)", []).unwrap();
        let error = apply(&mut connection).unwrap_err();
        assert!(error.to_string().contains("newer than this build"), "{error}");
    }

    #[test]
    fn seeds_the_default_rejection_reasons_in_order() {
        let (_dir, mut connection) = fresh();
        apply(&mut connection).unwrap();
        let seeded: Vec<(String, String)> = connection
            .prepare("SELECT code, label FROM rejection_reasons ORDER BY position")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<(String, String)> = rapport_domain::DEFAULT_REJECTION_REASONS
            .iter()
            .map(|(code, label)| (code.to_string(), label.to_string()))
            .collect();
        assert_eq!(seeded, expected);
    }
}
