//! One pooled connection: a client that caches its prepared statements and knows whether it is
//! inside a transaction (and whether a statement of it failed), plus a transaction guard.

use std::collections::HashMap;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};

use rapport_store::StoreError;

use crate::convert;

/// Past this many distinct statements a connection forgets them all: only the facts queries
/// vary with their filter, so this is reached only by a bug.
const MAX_CACHED_STATEMENTS: usize = 256;

/// Parameters of one statement, as the `postgres` client takes them.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// One client with its prepared statements. Inside a transaction it remembers whether a
/// statement failed: PostgreSQL then ignores everything up to the end of the transaction, and
/// a `COMMIT` would quietly roll back, so [`Connection::commit`] reports it instead.
pub(crate) struct Connection {
    client: Client,
    statements: HashMap<String, Statement>,
    in_transaction: bool,
    failed: bool,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").field("in_transaction", &self.in_transaction).finish_non_exhaustive()
    }
}

impl Connection {
    pub(crate) fn new(client: Client) -> Connection {
        Connection { client, statements: HashMap::new(), in_transaction: false, failed: false }
    }

    /// The bare client, for the pool's checks.
    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    fn note(&mut self, error: postgres::Error) -> StoreError {
        self.failed |= self.in_transaction;
        convert::db(error)
    }

    fn prepare(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).map_err(|e| self.note(e))?;
        if self.statements.len() >= MAX_CACHED_STATEMENTS {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub(crate) fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, StoreError> {
        let statement = self.prepare(sql)?;
        self.client.query(&statement, params).map_err(|e| self.note(e))
    }

    /// Like [`Connection::query`], but planned afresh with these parameter values each time
    /// (an unnamed statement), for queries whose best plan depends on them: a cached generic
    /// plan cannot tell a word in every utterance from a word in ten.
    pub(crate) fn query_planned_each_time(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        self.client.query(sql, params).map_err(|e| self.note(e))
    }

    pub(crate) fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, StoreError> {
        let statement = self.prepare(sql)?;
        self.client.query_opt(&statement, params).map_err(|e| self.note(e))
    }

    pub(crate) fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, StoreError> {
        let statement = self.prepare(sql)?;
        self.client.query_one(&statement, params).map_err(|e| self.note(e))
    }

    pub(crate) fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, StoreError> {
        let statement = self.prepare(sql)?;
        self.client.execute(&statement, params).map_err(|e| self.note(e))
    }

    /// Runs a statement over a batch of `size` rows (its parameters are arrays). A batch gets a
    /// statement prepared for this one execution (one more round trip), so the server plans it
    /// for these very arrays: a cached generic plan knows neither their length nor how far the
    /// tables have grown since it was made (one made while an import's first batches met
    /// near-empty tables would scan them whole ever after). Forcing custom plans for the whole
    /// transaction instead would re-plan every foreign-key check, row by row. A single row
    /// (a transition, one deal) reuses the cached statement.
    pub(crate) fn query_batch(
        &mut self,
        size: usize,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        if size <= 1 {
            return self.query(sql, params);
        }
        self.client.query(sql, params).map_err(|e| self.note(e))
    }

    /// Streams the rows of `sql` into `each` as they arrive, stopping at the first error
    /// (the callback's included), so exports need no memory for the whole result.
    pub(crate) fn for_each_row(
        &mut self,
        sql: &str,
        params: Params<'_>,
        mut each: impl FnMut(&Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let statement = self.prepare(sql)?;
        let in_transaction = self.in_transaction;
        let failed = &mut self.failed;
        let mut fail = |error: postgres::Error| {
            *failed |= in_transaction;
            convert::db(error)
        };
        let mut rows = self.client.query_raw(&statement, params.iter().copied()).map_err(&mut fail)?;
        while let Some(row) = rows.next().map_err(&mut fail)? {
            each(&row)?;
        }
        Ok(())
    }

    /// Starts a transaction with `begin` (`BEGIN` plus any isolation options).
    pub(crate) fn begin(&mut self, begin: &str) -> Result<(), StoreError> {
        self.client.batch_execute(begin).map_err(convert::db)?;
        self.in_transaction = true;
        self.failed = false;
        Ok(())
    }

    pub(crate) fn commit(&mut self) -> Result<(), StoreError> {
        if self.failed {
            self.rollback();
            return Err(StoreError::Database(
                "a statement of this transaction failed, so it was rolled back instead of committed".into(),
            ));
        }
        self.client.batch_execute("COMMIT").map_err(convert::db)?;
        self.in_transaction = false;
        Ok(())
    }

    /// Rolls back; on failure the connection stays marked as inside a transaction, and the
    /// pool discards it when it comes back.
    pub(crate) fn rollback(&mut self) {
        if self.client.batch_execute("ROLLBACK").is_ok() {
            self.in_transaction = false;
        }
    }

    pub(crate) fn in_transaction(&self) -> bool {
        self.in_transaction
    }
}

/// A transaction on a borrowed connection: rolled back when dropped without
/// [`Transaction::commit`].
#[derive(Debug)]
pub(crate) struct Transaction<'c> {
    connection: &'c mut Connection,
}

impl<'c> Transaction<'c> {
    pub(crate) fn begin(connection: &'c mut Connection, begin: &str) -> Result<Self, StoreError> {
        connection.begin(begin)?;
        Ok(Transaction { connection })
    }

    pub(crate) fn commit(self) -> Result<(), StoreError> {
        self.connection.commit()
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.connection
    }
}

impl std::ops::DerefMut for Transaction<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.connection
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.connection.in_transaction {
            self.connection.rollback();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{test_url, TemporarySchema};

    #[test]
    fn a_transaction_with_a_failed_statement_does_not_commit() {
        let schema = TemporarySchema::new(&test_url(), "pool").unwrap();
        let store = schema.open_store().unwrap();
        let mut connection = store.pool.get().unwrap();
        connection.begin("BEGIN").unwrap();
        connection.execute("INSERT INTO campaigns (name) VALUES ('kept?')", &[]).unwrap();
        assert!(connection.execute("SELECT no_such_column FROM campaigns", &[]).is_err());
        let error = connection.commit().unwrap_err();
        assert!(error.to_string().contains("rolled back"), "{error}");
        assert!(!connection.in_transaction());
        let count: i64 =
            convert::get(&connection.query_one("SELECT COUNT(*) FROM campaigns", &[]).unwrap(), 0).unwrap();
        assert_eq!(count, 0);
    }
}
