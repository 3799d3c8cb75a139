//! Computed reports kept beside the facts they came from. Facts make a report cheap to
//! recompute (no reload), but on a million people the funnel and attribution themselves take
//! a few hundred milliseconds, and a dashboard asks for the same ones on every view. A memo
//! entry is keyed by everything the report depends on — the query, the grouping or model,
//! the SLA and the current minute (SLA deadlines pass with time) — and stamped with the
//! store's revision, so a write from any process is seen on the next view, as with the facts.
//!
//! It is the one revision-stamped cache of the project: the report facts, the target-account
//! ranking, the team report's call stats and the web app's score summaries are kept in it too.

use std::sync::{Arc, Mutex};

/// The most values kept unless a memo says otherwise; the least recently used goes first.
const CAPACITY: usize = 16;

#[derive(Debug)]
pub struct Memo<K, V> {
    capacity: usize,
    /// Most recently used last.
    entries: Mutex<Vec<(K, u64, Arc<V>)>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self::new(CAPACITY)
    }
}

impl<K, V> Memo<K, V> {
    /// A memo keeping at most `capacity` values (at least one).
    pub fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), entries: Mutex::new(Vec::new()) }
    }
}

impl<K: PartialEq + Clone, V> Memo<K, V> {
    /// [`Self::get_or_compute`] at the store's current revision, read before computing: a write
    /// racing the computation leaves the value stamped older than its data, so it is computed
    /// once more, never served stale.
    pub fn get_or_load<E: From<rapport_store::StoreError>>(
        &self,
        store: &dyn rapport_store::Store,
        key: &K,
        load: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        let revision = store.revision()?;
        self.get_or_compute(key, revision, load)
    }

    /// The value for `key` computed at `revision`, or `compute`'s (then kept).
    pub fn get_or_compute<E>(
        &self,
        key: &K,
        revision: u64,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        {
            let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(position) = entries.iter().position(|(k, r, _)| k == key && *r == revision) {
                let entry = entries.remove(position);
                let value = Arc::clone(&entry.2);
                entries.push(entry);
                return Ok(value);
            }
        }
        // Computed without the lock held, so one slow report does not stall the others.
        let value = Arc::new(compute()?);
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.retain(|(k, _, _)| k != key);
        if entries.len() >= self.capacity {
            entries.remove(0);
        }
        entries.push((key.clone(), revision, Arc::clone(&value)));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_a_value_until_the_revision_moves_and_evicts_the_oldest() {
        let memo: Memo<u32, String> = Memo::default();
        let mut computed = 0;
        let mut get = |key: u32, revision: u64| {
            memo.get_or_compute(&key, revision, || {
                computed += 1;
                Ok::<_, ()>(format!("{key}@{revision}"))
            })
            .unwrap()
        };
        assert_eq!(*get(1, 7), "1@7");
        assert_eq!(*get(1, 7), "1@7");
        assert_eq!(*get(1, 8), "1@8", "a write since: computed again");
        for key in 2..=CAPACITY as u32 + 1 {
            get(key, 8);
        }
        assert_eq!(computed, 2 + CAPACITY);
        let entries = memo.entries.lock().unwrap();
        assert_eq!(entries.len(), CAPACITY);
        assert!(entries.iter().all(|(k, _, _)| *k != 1), "the least recently used went first");
    }

    #[test]
    fn an_error_is_not_kept() {
        let memo: Memo<u32, u32> = Memo::default();
        assert!(memo.get_or_compute(&1, 1, || Err::<u32, &str>("no")).is_err());
        assert_eq!(*memo.get_or_compute(&1, 1, || Ok::<_, &str>(5)).unwrap(), 5);
    }
}
