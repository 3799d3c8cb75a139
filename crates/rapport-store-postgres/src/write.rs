//! The write transaction: one pooled connection inside `BEGIN … COMMIT`, with caches of
//! natural-key lookups and the helpers batches use to resolve many keys in one query.
//!
//! Caching positive lookups is safe although other writers run concurrently: rows are never
//! deleted, so an id once seen stays valid, and the caches die with the transaction (so a
//! rollback cannot leave ids of rows that were never committed behind).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::ops::Range;

use rapport_domain::{
    AccountRecord, CampaignRecord, ContentRecord, EmailAddress, OpportunityRecord, PersonRecord, StageEvent,
    TouchRecord, TransitionRequest,
};

use rapport_store::{RowResult, StoreError, WriteTx};

use crate::convert::get;
use crate::pool::PooledConnection;

#[derive(Debug)]
pub(crate) struct PostgresWriteTx {
    pub(crate) connection: PooledConnection,
    pub(crate) cache: Caches,
    /// People whose row this transaction has locked (see [`PostgresWriteTx::lock_people`]).
    locked_people: HashSet<i64>,
}

/// The tables whose rows are found by a natural key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Natural {
    Person,
    User,
    Account,
    Campaign,
    Content,
}

impl Natural {
    fn select(self) -> &'static str {
        match self {
            Self::Person => "SELECT email, id FROM people WHERE email = ANY($1)",
            Self::User => "SELECT email, id FROM users WHERE email = ANY($1)",
            Self::Account => "SELECT domain, id FROM accounts WHERE domain = ANY($1)",
            Self::Campaign => "SELECT name, id FROM campaigns WHERE name = ANY($1)",
            Self::Content => "SELECT url, id FROM content_items WHERE url = ANY($1)",
        }
    }
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

impl Caches {
    pub(crate) fn of(&self, kind: Natural) -> &HashMap<String, i64> {
        match kind {
            Natural::Person => &self.people,
            Natural::User => &self.users,
            Natural::Account => &self.accounts,
            Natural::Campaign => &self.campaigns,
            Natural::Content => &self.content,
        }
    }

    pub(crate) fn of_mut(&mut self, kind: Natural) -> &mut HashMap<String, i64> {
        match kind {
            Natural::Person => &mut self.people,
            Natural::User => &mut self.users,
            Natural::Account => &mut self.accounts,
            Natural::Campaign => &mut self.campaigns,
            Natural::Content => &mut self.content,
        }
    }
}

impl PostgresWriteTx {
    pub(crate) fn begin(mut connection: PooledConnection) -> Result<Self, StoreError> {
        connection.begin("BEGIN")?;
        Ok(Self { connection, cache: Caches::default(), locked_people: HashSet::new() })
    }

    /// The id of a row known to this transaction (after [`PostgresWriteTx::resolve`]).
    pub(crate) fn cached(&self, kind: Natural, key: &str) -> Option<i64> {
        self.cache.of(kind).get(key).copied()
    }

    /// Looks up, in one query, the keys not cached yet; those found are cached.
    pub(crate) fn resolve<'k>(
        &mut self,
        kind: Natural,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<(), StoreError> {
        let cache = self.cache.of(kind);
        let mut missing: Vec<&str> = keys.into_iter().filter(|k| !cache.contains_key(*k)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        missing.sort_unstable();
        missing.dedup();
        let rows = self.connection.query_batch(missing.len(), kind.select(), &[&missing])?;
        let cache = self.cache.of_mut(kind);
        for row in rows {
            cache.insert(get(&row, 0)?, get(&row, 1)?);
        }
        Ok(())
    }

    /// Creates, in the order given, the accounts (by domain, named after it) or campaigns (by
    /// name) that do not exist yet, and caches their ids.
    pub(crate) fn create_missing(&mut self, kind: Natural, keys: &[&str]) -> Result<(), StoreError> {
        let missing: Vec<&str> = keys.iter().copied().filter(|k| self.cached(kind, k).is_none()).collect();
        if missing.is_empty() {
            return Ok(());
        }
        // ORDER BY keeps ids in the order the rows named them; DO NOTHING covers a concurrent
        // transaction that created the same key first (it is looked up below).
        let sql = match kind {
            Natural::Account => {
                "INSERT INTO accounts (name, domain)
                 SELECT u.key, u.key FROM unnest($1::text[]) WITH ORDINALITY AS u(key, n) ORDER BY u.n
                 ON CONFLICT DO NOTHING RETURNING domain, id"
            }
            Natural::Campaign => {
                "INSERT INTO campaigns (name)
                 SELECT u.key FROM unnest($1::text[]) WITH ORDINALITY AS u(key, n) ORDER BY u.n
                 ON CONFLICT DO NOTHING RETURNING name, id"
            }
            other => unreachable!("{other:?} rows are never created from a key alone"),
        };
        for row in self.connection.query_batch(missing.len(), sql, &[&missing])? {
            self.cache.of_mut(kind).insert(get(&row, 0)?, get(&row, 1)?);
        }
        self.resolve(kind, missing)?;
        match keys.iter().find(|k| self.cached(kind, k).is_none()) {
            Some(lost) => {
                Err(StoreError::Database(format!("{kind:?} `{lost}` was neither created nor found")))
            }
            None => Ok(()),
        }
    }

    /// Locks the people's rows until the end of the transaction, so their history and
    /// projection change under one writer at a time (as `Store::transition` does).
    pub(crate) fn lock_people(&mut self, ids: &[i64]) -> Result<(), StoreError> {
        let mut new: Vec<i64> = ids.iter().copied().filter(|id| !self.locked_people.contains(id)).collect();
        if new.is_empty() {
            return Ok(());
        }
        // One order for every locker keeps two batches from waiting on each other crosswise.
        new.sort_unstable();
        new.dedup();
        self.connection.query_batch(
            new.len(),
            "SELECT id FROM people WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            &[&new],
        )?;
        self.locked_people.extend(new);
        Ok(())
    }
}

/// Splits `keys` into consecutive runs in which no key repeats. A batch is written run by run
/// with set-based statements; a key met again (the same person twice in one file) starts a
/// new run, so it sees what the earlier row wrote, as if rows were written one at a time.
pub(crate) fn distinct_runs<K: Hash + Eq>(keys: &[K]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut seen = HashSet::new();
    let mut start = 0;
    for (index, key) in keys.iter().enumerate() {
        if !seen.insert(key) {
            runs.push(start..index);
            start = index;
            seen.clear();
            seen.insert(key);
        }
    }
    if start < keys.len() {
        runs.push(start..keys.len());
    }
    runs
}

impl WriteTx for PostgresWriteTx {
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
        crate::people::upsert_people(self, rows)
    }

    fn upsert_touches(&mut self, rows: &[TouchRecord]) -> Result<Vec<RowResult>, StoreError> {
        crate::touches::upsert_touches(self, rows)
    }

    fn upsert_opportunities(&mut self, rows: &[OpportunityRecord]) -> Result<Vec<RowResult>, StoreError> {
        crate::opportunities::upsert_opportunities(self, rows)
    }

    fn append_transitions(
        &mut self,
        person: &EmailAddress,
        requests: &[TransitionRequest],
    ) -> Result<Vec<StageEvent>, StoreError> {
        self.resolve(Natural::Person, [person.as_str()])?;
        let Some(id) = self.cached(Natural::Person, person.as_str()) else {
            return Err(StoreError::NotFound { what: "person", key: person.to_string() });
        };
        self.lock_people(&[id])?;
        requests
            .iter()
            .map(|request| crate::lifecycle::append_checked(&mut self.connection, id, request))
            .collect()
    }

    fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        crate::revision::bump(&mut self.connection)?;
        self.connection.commit()
    }
}

impl Drop for PostgresWriteTx {
    fn drop(&mut self) {
        // If the rollback fails the connection stays marked as inside a transaction and the
        // pool discards it, which also ends the transaction on the server.
        if self.connection.in_transaction() {
            self.connection.rollback();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected` lists each run as (start, end).
    fn check(keys: &[&str], expected: &[(usize, usize)]) {
        let runs: Vec<(usize, usize)> = distinct_runs(keys).into_iter().map(|r| (r.start, r.end)).collect();
        assert_eq!(runs, expected);
    }

    #[test]
    fn runs_break_where_a_key_repeats() {
        check(&[], &[]);
        check(&["a", "b", "c"], &[(0, 3)]);
        check(&["a", "b", "a", "c", "b"], &[(0, 2), (2, 5)]);
        check(&["a", "a", "a"], &[(0, 1), (1, 2), (2, 3)]);
    }
}
