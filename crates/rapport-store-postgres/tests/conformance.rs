//! Runs the shared storage conformance suite, each check on a fresh store in its own
//! throw-away schema of the test database, so the checks run in parallel.
//!
//! The database is `RAPPORT_TEST_POSTGRES_URL`, else `postgres://postgres@127.0.0.1:5432/test`.
//! An unreachable server fails every check: these tests are never skipped.

use rapport_store::Store;
use rapport_store_postgres::TemporarySchema;

fn test_url() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A new, empty store in a new schema; the schema is dropped after the store when the check ends.
fn open_fresh() -> (Box<dyn Store>, TemporarySchema) {
    let schema = TemporarySchema::new(&test_url(), "conformance")
        .unwrap_or_else(|e| panic!("the PostgreSQL test database must be reachable: {e}"));
    let store = schema.open_store().unwrap();
    (Box::new(store), schema)
}

rapport_store_conformance::suite!(open_fresh);
