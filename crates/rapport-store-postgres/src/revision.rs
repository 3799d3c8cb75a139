//! The store's revision: a counter moved forward by every write, read by caches of derived data.

use rapport_store::StoreError;

use crate::connection::Connection;
use crate::convert::get;

/// Moves the revision forward. Called last before a write transaction commits, so the row lock
/// it takes (which orders concurrent writers) is held only for the commit itself.
pub(crate) fn bump(connection: &mut Connection) -> Result<(), StoreError> {
    connection.execute("UPDATE store_revision SET value = value + 1 WHERE id = 1", &[])?;
    Ok(())
}

pub(crate) fn current(connection: &mut Connection) -> Result<u64, StoreError> {
    let row = connection.query_one("SELECT value FROM store_revision WHERE id = 1", &[])?;
    let value: i64 = get(&row, 0)?;
    Ok(value as u64)
}
