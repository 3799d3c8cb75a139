//! The write transaction: one connection holding SQLite's write lock (`BEGIN IMMEDIATE`) from
//! start to commit, with in-transaction caches of natural-key lookups.
//!
//! Caching positive lookups is safe because no other writer can run while the lock is held,
//! and the caches die with the transaction (so a rollback cannot leave stale ids behind).

use std::collections::HashMap;

use rapport_domain::{
    AccountRecord, CampaignRecord, ContentRecord, EmailAddress, OpportunityRecord, PersonRecord, StageEvent,
    TouchRecord, TransitionRequest,
};
use rusqlite::OptionalExtension;

use rapport_store::{RowResult, StoreError, WriteTx};

use crate::convert::OrDatabaseError;
use crate::pool::PooledConnection;

#[derive(Debug)]
pub(crate) struct SqliteWriteTx<'store> {
    pub(crate) connection: PooledConnection<'store>,
    finished: bool,
    pub(crate) cache: Caches,
}

/// Natural key -> id, for rows known to exist in this transaction.
#[derive(Debug, Default)]
pub(crate) struct Caches {
    pub(crate) people: HashMap<String, i64>,
    pub(crate) users: HashMap<String, i64>,
    pub(crate) accounts: HashMap<String, i64>,
    pub(crate) campaigns: HashMap<String, i64>,
    pub(crate) content: HashMap<String, i64>,
}

impl<'store> SqliteWriteTx<'store> {
    pub(crate) fn begin(connection: PooledConnection<'store>) -> Result<Self, StoreError> {
        connection.execute_batch("BEGIN IMMEDIATE").or_db()?;
        Ok(Self { connection, finished: false, cache: Caches::default() })
    }

    /// Looks an id up by one unique text column, through the given cache.
    fn lookup(
        connection: &PooledConnection<'_>,
        cache: &mut HashMap<String, i64>,
        sql: &str,
        key: &str,
    ) -> Result<Option<i64>, StoreError> {
        if let Some(id) = cache.get(key) {
            return Ok(Some(*id));
        }
        let found: Option<i64> =
            connection.prepare_cached(sql).or_db()?.query_row([key], |row| row.get(0)).optional().or_db()?;
        if let Some(id) = found {
            cache.insert(key.to_owned(), id);
        }
        Ok(found)
    }

    pub(crate) fn person_id(&mut self, email: &str) -> Result<Option<i64>, StoreError> {
        Self::lookup(
            &self.connection,
            &mut self.cache.people,
            "SELECT id FROM people WHERE email = ?1",
            email,
        )
    }

    pub(crate) fn user_id(&mut self, email: &str) -> Result<Option<i64>, StoreError> {
        Self::lookup(&self.connection, &mut self.cache.users, "SELECT id FROM users WHERE email = ?1", email)
    }

    pub(crate) fn account_id(&mut self, domain: &str) -> Result<Option<i64>, StoreError> {
        Self::lookup(
            &self.connection,
            &mut self.cache.accounts,
            "SELECT id FROM accounts WHERE domain = ?1",
            domain,
        )
    }

    pub(crate) fn content_id(&mut self, url: &str) -> Result<Option<i64>, StoreError> {
        Self::lookup(
            &self.connection,
            &mut self.cache.content,
            "SELECT id FROM content_items WHERE url = ?1",
            url,
        )
    }

    /// The account with this domain, created with only its domain (as name) when missing.
    pub(crate) fn account_or_create(&mut self, domain: &str) -> Result<i64, StoreError> {
        if let Some(id) = self.account_id(domain)? {
            return Ok(id);
        }
        self.connection
            .prepare_cached("INSERT INTO accounts (name, domain) VALUES (?1, ?1)")
            .or_db()?
            .execute([domain])
            .or_db()?;
        let id = self.connection.last_insert_rowid();
        self.cache.accounts.insert(domain.to_owned(), id);
        Ok(id)
    }

    /// The campaign with this name, created with only its name when missing.
    pub(crate) fn campaign_or_create(&mut self, name: &str) -> Result<i64, StoreError> {
        let found = Self::lookup(
            &self.connection,
            &mut self.cache.campaigns,
            "SELECT id FROM campaigns WHERE name = ?1",
            name,
        )?;
        if let Some(id) = found {
            return Ok(id);
        }
        self.connection
            .prepare_cached("INSERT INTO campaigns (name) VALUES (?1)")
            .or_db()?
            .execute([name])
            .or_db()?;
        let id = self.connection.last_insert_rowid();
        self.cache.campaigns.insert(name.to_owned(), id);
        Ok(id)
    }
}

impl WriteTx for SqliteWriteTx<'_> {
    fn upsert_accounts(&mut self, rows: &[AccountRecord]) -> Result<Vec<RowResult>, StoreError> {
        rows.iter().map(|row| crate::records::upsert_account(self, row)).collect()
    }

    fn upsert_campaigns(&mut self, rows: &[CampaignRecord]) -> Result<Vec<RowResult>, StoreError> {
        rows.iter().map(|row| crate::records::upsert_campaign(self, row)).collect()
    }

    fn upsert_content(&mut self, rows: &[ContentRecord]) -> Result<Vec<RowResult>, StoreError> {
        rows.iter().map(|row| crate::records::upsert_content(self, row)).collect()
    }

    fn upsert_people(&mut self, rows: &[PersonRecord]) -> Result<Vec<RowResult>, StoreError> {
        rows.iter().map(|row| crate::people::upsert_person(self, row)).collect()
    }

    fn upsert_touches(&mut self, rows: &[TouchRecord]) -> Result<Vec<RowResult>, StoreError> {
        rows.iter().map(|row| crate::touches::upsert_touch(self, row)).collect()
    }

    fn upsert_opportunities(&mut self, rows: &[OpportunityRecord]) -> Result<Vec<RowResult>, StoreError> {
        rows.iter().map(|row| crate::opportunities::upsert_opportunity(self, row)).collect()
    }

    fn append_transitions(
        &mut self,
        person: &EmailAddress,
        requests: &[TransitionRequest],
    ) -> Result<Vec<StageEvent>, StoreError> {
        let Some(id) = self.person_id(person.as_str())? else {
            return Err(StoreError::NotFound { what: "person", key: person.to_string() });
        };
        requests
            .iter()
            .map(|request| crate::lifecycle::append_checked(&self.connection, id, request))
            .collect()
    }

    fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        crate::revision::bump(&self.connection)?;
        self.connection.execute_batch("COMMIT").or_db()?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for SqliteWriteTx<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // If the rollback itself fails the connection stays inside the transaction and the
            // pool discards it, which also ends the transaction.
            let _ = self.connection.execute_batch("ROLLBACK");
        }
    }
}
