//! Schema migrations: embedded SQL files applied in order, each in its own transaction, and
//! recorded with a checksum so an edited released migration is caught instead of silently
//! leaving databases with different schemas. An advisory lock makes processes that open the
//! same schema at once take turns.

use postgres::Client;
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

/// Applies the migrations the database lacks; with `schema`, first creates that schema if
/// missing (under the same lock, so concurrent first opens do not race to create it).
pub(crate) fn apply(client: &mut Client, schema: Option<&str>) -> Result<(), StoreError> {
    apply_migrations(client, schema, MIGRATIONS)
}

fn bookkeeping(message: String) -> StoreError {
    StoreError::Migration { version: 0, name: "bookkeeping".into(), message }
}

/// The lock is keyed by the connection's `search_path` (which names the schema the tables go
/// into), so stores in different schemas of one database (the tests' throw-away schemas) do
/// not wait for each other.
const LOCK_KEY: &str = "hashtext('rapport migrations'), hashtext(current_setting('search_path'))";

fn apply_migrations(
    client: &mut Client,
    schema: Option<&str>,
    migrations: &[Migration],
) -> Result<(), StoreError> {
    client
        .batch_execute(&format!("SELECT pg_advisory_lock({LOCK_KEY})"))
        .map_err(|e| bookkeeping(e.to_string()))?;
    let result = match schema {
        Some(schema) => client
            .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
            .map_err(|e| bookkeeping(format!("cannot create the schema {schema}: {e}"))),
        None => Ok(()),
    };
    let result = result.and_then(|()| apply_locked(client, migrations));
    // Closing the connection would release the lock too; unlocking keeps it reusable.
    let unlocked = client.batch_execute(&format!("SELECT pg_advisory_unlock({LOCK_KEY})"));
    result?;
    unlocked.map_err(|e| bookkeeping(e.to_string()))
}

fn apply_locked(client: &mut Client, migrations: &[Migration]) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version     BIGINT PRIMARY KEY,
                name        TEXT NOT NULL,
                checksum    TEXT NOT NULL,
                applied_at  BIGINT NOT NULL
            )",
        )
        .map_err(|e| bookkeeping(e.to_string()))?;
    let newest_known = migrations.last().map_or(0, |m| m.version);
    let newest_applied: Option<i64> = client
        .query_one("SELECT MAX(version) FROM schema_migrations", &[])
        .and_then(|row| row.try_get(0))
        .map_err(|e| bookkeeping(e.to_string()))?;
    if let Some(newest_applied) = newest_applied.filter(|v| *v > i64::from(newest_known)) {
        return Err(bookkeeping(format!(
            "the database has schema version {newest_applied}, newer than this build of Rapport knows \
             ({newest_known}); upgrade Rapport"
        )));
    }
    for migration in migrations {
        apply_one(client, migration)?;
    }
    Ok(())
}

/// Applies one migration unless already applied; the migration and its record commit together.
fn apply_one(client: &mut Client, migration: &Migration) -> Result<(), StoreError> {
    let fail = |error: postgres::Error| StoreError::Migration {
        version: migration.version,
        name: migration.name.to_owned(),
        message: error.to_string(),
    };
    let expected = checksum(migration.sql);
    let version = i64::from(migration.version);
    let mut transaction = client.transaction().map_err(fail)?;
    let applied: Option<String> = transaction
        .query_opt("SELECT checksum FROM schema_migrations WHERE version = $1", &[&version])
        .and_then(|row| row.map(|row| row.try_get(0)).transpose())
        .map_err(fail)?;
    match applied {
        Some(found) if found == expected => return Ok(()),
        Some(found) => {
            return Err(StoreError::Migration {
                version: migration.version,
                name: migration.name.to_owned(),
                message: format!(
                    "it was applied with checksum {found} but this build embeds {expected}: released \
                     migrations are never edited; add a new one"
                ),
            })
        }
        None => {}
    }
    transaction.batch_execute(migration.sql).map_err(fail)?;
    transaction
        .execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
            &[&version, &migration.name, &expected, &now_millis()],
        )
        .map_err(fail)?;
    transaction.commit().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::TemporarySchema;

    /// A connection into a new, empty schema that goes when the guard drops.
    fn fresh() -> (TemporarySchema, Client) {
        let schema = TemporarySchema::new(&crate::schema::test_url(), "migrate").unwrap();
        let client = schema.connect().unwrap();
        (schema, client)
    }

    #[test]
    fn applies_once_and_records_checksums() {
        let (_schema, mut client) = fresh();
        apply(&mut client, None).unwrap();
        apply(&mut client, None).unwrap();
        let rows: Vec<(i64, String)> = client
            .query("SELECT version, checksum FROM schema_migrations ORDER BY version", &[])
            .unwrap()
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let expected: Vec<(i64, String)> =
            MIGRATIONS.iter().map(|m| (i64::from(m.version), checksum(m.sql))).collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn an_edited_released_migration_is_refused() {
        let (_schema, mut client) = fresh();
        apply(&mut client, None).unwrap();
        client.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1", &[]).unwrap();
        let error = apply(&mut client, None).unwrap_err();
        assert!(matches!(error, StoreError::Migration { version: 1, .. }), "{error:?}");
        assert!(error.to_string().contains("released migrations are never edited; add a new one"), "{error}");
    }

    #[test]
    fn a_failing_migration_applies_nothing() {
        let (_schema, mut client) = fresh();
        let broken =
            [Migration { version: 1, name: "broken", sql: "CREATE TABLE t (x BIGINT); SELEC nonsense;" }];
        let error = apply_migrations(&mut client, None, &broken).unwrap_err();
        assert!(matches!(error, StoreError::Migration { version: 1, .. }), "{error:?}");
        let tables: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 't'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(tables, 0);
        let recorded: i64 = client.query_one("SELECT COUNT(*) FROM schema_migrations", &[]).unwrap().get(0);
        assert_eq!(recorded, 0);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let (_schema, mut client) = fresh();
        apply(&mut client, None).unwrap();
        client.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)", &[]).unwrap();
        let error = apply(&mut client, None).unwrap_err();
        assert!(error.to_string().contains("newer than this build"), "{error}");
    }

    #[test]
    fn concurrent_opens_apply_each_migration_once() {
        let (schema, _client) = fresh();
        // A schema that does not exist yet: creating it is part of what must not race.
        let url = crate::schema::test_url();
        let name = format!("{}_new", schema.name());
        let settings = crate::pool::Settings::parse(&url, Some(&name)).unwrap();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| apply(&mut settings.connect().unwrap(), Some(&name))))
                .collect();
            for handle in handles {
                handle.join().unwrap().unwrap();
            }
        });
        let mut client = settings.connect().unwrap();
        let recorded: i64 = client.query_one("SELECT COUNT(*) FROM schema_migrations", &[]).unwrap().get(0);
        assert_eq!(recorded, MIGRATIONS.len() as i64);
        client.batch_execute(&format!("DROP SCHEMA \"{name}\" CASCADE")).unwrap();
    }

    #[test]
    fn seeds_the_default_rejection_reasons_in_order() {
        let (_schema, mut client) = fresh();
        apply(&mut client, None).unwrap();
        let seeded: Vec<(String, String)> = client
            .query("SELECT code, label FROM rejection_reasons ORDER BY position", &[])
            .unwrap()
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let expected: Vec<(String, String)> = rapport_domain::DEFAULT_REJECTION_REASONS
            .iter()
            .map(|(code, label)| (code.to_string(), label.to_string()))
            .collect();
        assert_eq!(seeded, expected);
    }
}
