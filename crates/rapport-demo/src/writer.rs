//! Batched writing through one [`WriteTx`] at a time: rows are buffered per kind, written in
//! batches in dependency order (people before their events, deals and touches), and committed
//! every ~100k rows so memory stays flat and a crash loses at most one commit's worth.

use rapport_domain::{EmailAddress, OpportunityRecord, PersonRecord, TouchRecord, TransitionRequest};
use rapport_store::{RowResult, Store, StoreError, WriteTx};

use crate::DemoError;

/// Rows per upsert call: large enough to amortise the call, small enough to keep memory flat.
const BATCH_ROWS: usize = 5_000;

/// Rows per transaction. SQLite's write speed barely grows past this; larger commits only
/// hold the write lock longer.
const COMMIT_ROWS: usize = 100_000;

/// Rows buffered for the next flush, and what has been written so far.
pub(crate) struct Writer<'s> {
    store: &'s dyn Store,
    tx: Option<Box<dyn WriteTx + 's>>,
    since_commit: usize,
    pub people: Vec<PersonRecord>,
    /// Checked transitions up to a person's deal, which must precede the deal's events.
    pub handoffs: Vec<(EmailAddress, Vec<TransitionRequest>)>,
    pub deals: Vec<OpportunityRecord>,
    /// Checked transitions after a person's deal closed.
    pub after_deals: Vec<(EmailAddress, Vec<TransitionRequest>)>,
    pub touches: Vec<TouchRecord>,
    pub written: Written,
}

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Written {
    pub people: u64,
    pub touches: u64,
    pub opportunities: u64,
    /// Transitions appended; history and deal events are counted by the caller.
    pub transitions: u64,
}

impl<'s> Writer<'s> {
    pub(crate) fn new(store: &'s dyn Store) -> Self {
        Self {
            store,
            tx: None,
            since_commit: 0,
            people: Vec::new(),
            handoffs: Vec::new(),
            deals: Vec::new(),
            after_deals: Vec::new(),
            touches: Vec::new(),
            written: Written::default(),
        }
    }

    fn tx(&mut self) -> Result<&mut (dyn WriteTx + 's), StoreError> {
        if self.tx.is_none() {
            self.tx = Some(self.store.begin_write()?);
        }
        Ok(self.tx.as_deref_mut().expect("just begun"))
    }

    /// Whether enough is buffered to be worth a flush.
    pub(crate) fn is_full(&self) -> bool {
        self.people.len() >= BATCH_ROWS || self.touches.len() >= 2 * BATCH_ROWS
    }

    /// Writes reference rows (accounts, campaigns, content) in batches.
    pub(crate) fn write_all<T>(
        &mut self,
        kind: &'static str,
        rows: &[T],
        key: impl Fn(&T) -> String,
        upsert: impl Fn(&mut (dyn WriteTx + 's), &[T]) -> Result<Vec<RowResult>, StoreError>,
    ) -> Result<(), DemoError> {
        for chunk in rows.chunks(BATCH_ROWS) {
            let results = upsert(self.tx()?, chunk)?;
            check(kind, chunk, &results, &key)?;
            self.since_commit += chunk.len();
        }
        self.commit_if_due()
    }

    /// Writes reference rows (accounts, campaigns, content), committing after each batch: the
    /// SQLite store's account upsert scans its per-transaction cache once per row, so one
    /// transaction of 100k accounts would take quadratic time.
    pub(crate) fn write_reference<T>(
        &mut self,
        kind: &'static str,
        rows: &[T],
        key: impl Fn(&T) -> String,
        upsert: impl Fn(&mut (dyn WriteTx + 's), &[T]) -> Result<Vec<RowResult>, StoreError>,
    ) -> Result<(), DemoError> {
        for chunk in rows.chunks(BATCH_ROWS) {
            self.write_all(kind, chunk, &key, &upsert)?;
            self.commit()?;
        }
        Ok(())
    }

    /// Writes everything buffered, in dependency order.
    pub(crate) fn flush(&mut self) -> Result<(), DemoError> {
        let people = std::mem::take(&mut self.people);
        self.write_all("person", &people, |p| p.email.to_string(), |tx, rows| tx.upsert_people(rows))?;
        self.written.people += people.len() as u64;
        let handoffs = std::mem::take(&mut self.handoffs);
        self.append(&handoffs)?;
        let deals = std::mem::take(&mut self.deals);
        self.write_all(
            "opportunity",
            &deals,
            |d| d.external_id.clone(),
            |tx, rows| tx.upsert_opportunities(rows),
        )?;
        self.written.opportunities += deals.len() as u64;
        let after_deals = std::mem::take(&mut self.after_deals);
        self.append(&after_deals)?;
        let touches = std::mem::take(&mut self.touches);
        self.write_all(
            "touch",
            &touches,
            |t| t.external_id.clone().unwrap_or_default(),
            |tx, rows| tx.upsert_touches(rows),
        )?;
        self.written.touches += touches.len() as u64;
        Ok(())
    }

    fn append(&mut self, transitions: &[(EmailAddress, Vec<TransitionRequest>)]) -> Result<(), DemoError> {
        for (person, requests) in transitions {
            self.tx()?.append_transitions(person, requests)?;
            self.since_commit += requests.len();
            self.written.transitions += requests.len() as u64;
        }
        self.commit_if_due()
    }

    fn commit_if_due(&mut self) -> Result<(), DemoError> {
        if self.since_commit >= COMMIT_ROWS {
            self.commit()?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), DemoError> {
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        self.since_commit = 0;
        Ok(())
    }

    /// Flushes what is left and commits.
    pub(crate) fn finish(&mut self) -> Result<Written, DemoError> {
        self.flush()?;
        self.commit()?;
        Ok(self.written)
    }
}

/// Any refused row is a bug in the generator: report the first, with its key.
fn check<T>(
    kind: &'static str,
    rows: &[T],
    results: &[RowResult],
    key: &impl Fn(&T) -> String,
) -> Result<(), DemoError> {
    match rows.iter().zip(results).find_map(|(row, result)| result.as_ref().err().map(|e| (row, e))) {
        Some((row, rejection)) => {
            Err(DemoError::Rejected { kind, key: key(row), rejection: rejection.clone() })
        }
        None => Ok(()),
    }
}
