//! The store's revision: a counter moved forward by every write, read by caches of derived data.

use rusqlite::Connection;

use rapport_store::StoreError;

use crate::convert::OrDatabaseError;

/// Moves the revision forward. Inside a write transaction it commits with the data; after a
/// single-statement write it runs just after it, which errs only on the safe side (a reader
/// may see new data under the old revision, and then reload once more).
pub(crate) fn bump(connection: &Connection) -> Result<(), StoreError> {
    connection
        .prepare_cached("UPDATE store_revision SET value = value + 1 WHERE id = 1")
        .or_db()?
        .execute([])
        .or_db()?;
    Ok(())
}

pub(crate) fn current(connection: &Connection) -> Result<u64, StoreError> {
    let value: i64 = connection
        .prepare_cached("SELECT value FROM store_revision WHERE id = 1")
        .or_db()?
        .query_row([], |row| row.get(0))
        .or_db()?;
    Ok(value as u64)
}
