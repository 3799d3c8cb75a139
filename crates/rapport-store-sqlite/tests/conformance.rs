//! Runs the shared storage conformance suite on a fresh SQLite file per check.

use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;

/// A new, empty store in its own temporary folder; the folder goes when the check ends.
fn open_fresh() -> (Box<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("rapport.db")).unwrap();
    (Box::new(store), dir)
}

rapport_store_conformance::suite!(open_fresh);
