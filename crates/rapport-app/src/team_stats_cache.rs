//! Every analysed call's stats kept in memory between team reports, so the team page and the
//! call page's comparison cost an aggregation, not a re-read of every analysis document (the
//! documents of 2,000 calls are about 28 MB of JSON). Held in [`crate::report_cache::ReportCache`],
//! which the server already shares, and checked against the store's revision as the report
//! facts are: read before loading, so a write racing the load is reloaded once more, never
//! served stale, and a write from another process is seen on the next view.

use std::sync::Arc;

use rapport_store::analysis::AnalysisFilter;
use rapport_store::Store;
use serde::Deserialize;

use crate::report_memo::Memo;
use crate::team_stats::StatCall;
use crate::AppError;

#[derive(Debug)]
pub struct StatCallCache {
    /// The calls (oldest first), stamped with the revision they were loaded at.
    calls: Memo<(), Vec<StatCall>>,
}

impl Default for StatCallCache {
    fn default() -> Self {
        Self { calls: Memo::new(1) }
    }
}

impl StatCallCache {
    /// Every analysed call with a rep, loaded again only after a write.
    pub fn calls(&self, store: &dyn Store) -> Result<Arc<Vec<StatCall>>, AppError> {
        self.calls.get_or_load(store, &(), || load(store, &AnalysisFilter::default()))
    }
}

/// Only the part of a stored analysis the report reads; serde skips the rest.
#[derive(Deserialize)]
struct StatsOnly {
    stats: rapport_conversation::CallStats,
}

/// The analysed calls in `filter`'s period that have a rep, with their stats.
pub fn load(store: &dyn Store, filter: &AnalysisFilter) -> Result<Vec<StatCall>, AppError> {
    let facts = store.analysis_facts(filter)?;
    let mut calls = Vec::with_capacity(facts.len());
    for fact in facts {
        let Some(rep) = fact.rep else { continue };
        // A document another version wrote without stats is left out, not a failed report.
        if let Ok(document) = serde_json::from_str::<StatsOnly>(&fact.document) {
            calls.push(StatCall { rep, started_at: fact.started_at, stats: document.stats });
        }
    }
    Ok(calls)
}
