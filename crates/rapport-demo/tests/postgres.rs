//! The demo knows no backend: a tiny demo generated into PostgreSQL stores the same calls and
//! transcripts as one generated into SQLite, compared by their natural keys.
//!
//! The database is `RAPPORT_TEST_POSTGRES_URL`, else `postgres://postgres@127.0.0.1:5432/test`.
//! An unreachable server fails the test: it is never skipped.

use chrono::NaiveDate;
use rapport_demo::{generate, DemoOptions, DemoSummary, Scale};
use rapport_domain::{CallRecord, UtteranceRow};
use rapport_store::{CallQuery, Store};
use rapport_store_postgres::TemporarySchema;
use rapport_store_sqlite::SqliteStore;

fn options() -> DemoOptions {
    DemoOptions { scale: Scale::Tiny, seed: 11, anchor: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap() }
}

/// The demo's summary, and each call as it came in (natural keys, not ids) with its transcript.
fn demo_calls(store: &dyn Store) -> (DemoSummary, Vec<(CallRecord, Vec<UtteranceRow>)>) {
    let summary = generate(store, &options(), &mut |_| {}).unwrap();
    let mut calls = store.list_calls(&CallQuery::default()).unwrap();
    calls.sort_by(|a, b| a.record.external_id.cmp(&b.record.external_id));
    let calls = calls
        .into_iter()
        .map(|call| {
            let utterances = store.call_utterances(call.id).unwrap();
            (call.record, utterances)
        })
        .collect();
    (summary, calls)
}

#[test]
fn postgresql_and_sqlite_get_the_same_calls() {
    let url = std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = TemporarySchema::new(&url, "demo")
        .unwrap_or_else(|e| panic!("the PostgreSQL test database must be reachable: {e}"));
    let postgres = schema.open_store().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("demo.db")).unwrap();
    let (postgres_summary, postgres_calls) = demo_calls(&postgres);
    let (sqlite_summary, sqlite_calls) = demo_calls(&sqlite);
    assert_eq!(postgres_summary, sqlite_summary);
    assert!(sqlite_calls.len() >= 15, "{} calls", sqlite_calls.len());
    assert_eq!(postgres_calls.len(), sqlite_calls.len());
    for (on_postgres, on_sqlite) in postgres_calls.iter().zip(&sqlite_calls) {
        assert_eq!(on_postgres, on_sqlite);
    }
    drop(postgres);
}
