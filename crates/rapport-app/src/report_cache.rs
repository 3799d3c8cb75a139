//! Analytics facts kept in memory between reports, so a dashboard's repeated reports cost the
//! computation only, not a reload of every person and event.
//!
//! Each entry is keyed by its filter and stamped with the store's revision read *before* the
//! facts were loaded. A lookup reads the current revision (one tiny query) and uses an entry only
//! when nothing was written since; otherwise it reloads. Reading the revision first errs on the
//! safe side: a write racing the load leaves an entry stamped older than its data, which is then
//! reloaded once more, never served stale. Writes from other processes (a CLI import, another
//! server on the same PostgreSQL) move the same revision, so every server sees them.

use std::sync::Arc;

use rapport_domain::{AttributionFacts, FactsFilter, FunnelFacts};
use rapport_store::{Store, StoreError};

use rapport_funnel::{AttributionModel, AttributionReport, FunnelReport, GroupBy};

use crate::report_memo::Memo;
use crate::reports::ReportQuery;
use crate::scoring::accounts::TargetAccount;

/// What a funnel report depends on besides the facts: the query, the grouping, the SLA hours
/// and the minute it is computed in (SLA deadlines pass with time).
pub type FunnelKey = (ReportQuery, Option<GroupBy>, u32, i64);

/// How many filters' facts are kept per kind; the least recently used goes first. The
/// unfiltered facts of a large workspace take a few hundred megabytes.
pub const DEFAULT_CAPACITY: usize = 4;

#[derive(Debug)]
pub struct ReportCache {
    funnel: Memo<FactsFilter, FunnelFacts>,
    attribution: Memo<FactsFilter, AttributionFacts>,
    /// The whole workspace's target-account ranking: derived from every person's stored score,
    /// so it costs a pass over all people and scores, and changes only with a write.
    target_accounts: Memo<(), Vec<TargetAccount>>,
    /// Funnel reports computed from those facts: query, grouping, SLA hours, minute.
    pub funnel_reports: Memo<FunnelKey, FunnelReport>,
    /// Attribution reports computed from those facts: query and model.
    pub attribution_reports: Memo<(ReportQuery, AttributionModel), AttributionReport>,
    /// People selected by a drill-down, keyed by the page's whole query (the web app's
    /// `/people` list; ids only, the viewer's scope is applied on each view).
    pub people_selections: Memo<String, Vec<rapport_domain::PersonId>>,
    /// Voice-of-the-customer reports, keyed by period and segment (quotes not yet narrowed to
    /// what the viewer may open).
    pub voc_reports: Memo<String, crate::voc::VocReport>,
    /// Content-usage reports, keyed by period and the viewer's scope.
    pub content_reports: Memo<String, crate::content_usage::ContentUsageReport>,
    /// Analysed calls' stats for the team report (`crate::team_stats`).
    pub team_stats: crate::team_stats::StatCallCache,
}

impl Default for ReportCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl ReportCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            funnel: Memo::new(capacity),
            attribution: Memo::new(capacity),
            target_accounts: Memo::new(1),
            funnel_reports: Memo::default(),
            attribution_reports: Memo::default(),
            people_selections: Memo::default(),
            voc_reports: Memo::default(),
            content_reports: Memo::default(),
            team_stats: Default::default(),
        }
    }

    /// The unscoped target-account ranking, computed by `load` when the store changed since.
    pub fn target_accounts(
        &self,
        store: &dyn Store,
        load: impl FnOnce(&dyn Store) -> Result<Vec<TargetAccount>, StoreError>,
    ) -> Result<Arc<Vec<TargetAccount>>, StoreError> {
        self.target_accounts.get_or_load(store, &(), || load(store))
    }

    pub fn funnel_facts(
        &self,
        store: &dyn Store,
        filter: &FactsFilter,
    ) -> Result<Arc<FunnelFacts>, StoreError> {
        self.funnel.get_or_load(store, filter, || store.funnel_facts(filter))
    }

    pub fn attribution_facts(
        &self,
        store: &dyn Store,
        filter: &FactsFilter,
    ) -> Result<Arc<AttributionFacts>, StoreError> {
        self.attribution.get_or_load(store, filter, || store.attribution_facts(filter))
    }
}

#[cfg(test)]
mod tests {
    use rapport_domain::Role;

    use super::*;
    use crate::test_support;

    fn filter(source: &str) -> FactsFilter {
        FactsFilter { source: Some(source.to_owned()), ..FactsFilter::default() }
    }

    #[test]
    fn serves_the_same_facts_until_a_write_comes_in() {
        let fixture = test_support::store();
        let store = &*fixture.store;
        let cache = ReportCache::new(2);
        let first = cache.funnel_facts(store, &FactsFilter::default()).unwrap();
        let again = cache.funnel_facts(store, &FactsFilter::default()).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "no write in between: the cached facts");

        test_support::user(store, "rep@us.test", Role::SalesRep);
        test_support::person(store, "ana@acme.test", &[]);
        let reloaded = cache.funnel_facts(store, &FactsFilter::default()).unwrap();
        assert!(!Arc::ptr_eq(&first, &reloaded), "a write must invalidate");
        assert_eq!((first.people.len(), reloaded.people.len()), (0, 1));
    }

    #[test]
    fn keeps_one_entry_per_filter_and_evicts_the_least_recently_used() {
        let fixture = test_support::store();
        let store = &*fixture.store;
        let cache = ReportCache::new(2);
        let a = cache.attribution_facts(store, &filter("a")).unwrap();
        let b = cache.attribution_facts(store, &filter("b")).unwrap();
        assert!(!Arc::ptr_eq(&a, &b));
        assert!(Arc::ptr_eq(&a, &cache.attribution_facts(store, &filter("a")).unwrap()));
        cache.attribution_facts(store, &filter("c")).unwrap(); // evicts b, the least recently used
        assert!(Arc::ptr_eq(&a, &cache.attribution_facts(store, &filter("a")).unwrap()));
        assert!(!Arc::ptr_eq(&b, &cache.attribution_facts(store, &filter("b")).unwrap()));
    }
}
