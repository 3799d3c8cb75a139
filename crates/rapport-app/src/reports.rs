//! Report assembly: facts from the store, figures from `rapport-funnel`, and the default period
//! the CLI and the API share.

use chrono::{Duration, NaiveTime};
use rapport_domain::{parse_timestamp, FactsFilter, FunnelFacts, Timestamp};
use rapport_funnel::{
    attribution_report, funnel_report, AttributionModel, AttributionParams, AttributionReport, FunnelParams,
    FunnelReport, GroupBy,
};
use rapport_store::Store;

use crate::report_cache::ReportCache;
use crate::AppError;

/// Reports look back this many days from `to` when no `from` is given.
pub const DEFAULT_PERIOD_DAYS: i64 = 365;

/// A period `[from, to)` and the people it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    pub from: Timestamp,
    /// Exclusive.
    pub to: Timestamp,
    pub filter: FactsFilter,
}

/// Parses a period from optional date texts: `to` defaults to tomorrow 00:00 UTC (so today
/// counts), `from` to [`DEFAULT_PERIOD_DAYS`] before `to`.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    now: Timestamp,
) -> Result<(Timestamp, Timestamp), AppError> {
    let parse =
        |field: &str, text: &str| parse_timestamp(text).map_err(|e| AppError::invalid(field, e.to_string()));
    let to = match to {
        Some(text) => parse("to", text)?,
        None => (now.date_naive() + Duration::days(1)).and_time(NaiveTime::MIN).and_utc(),
    };
    let from = match from {
        Some(text) => parse("from", text)?,
        None => to - Duration::days(DEFAULT_PERIOD_DAYS),
    };
    Ok((from, to))
}

/// The funnel report, loading the facts afresh (the CLI: one report per process).
pub fn funnel(
    store: &dyn Store,
    query: &ReportQuery,
    group_by: Option<GroupBy>,
    sla_hours: u32,
    now: Timestamp,
) -> Result<FunnelReport, AppError> {
    check_period(query)?;
    let facts = timed("funnel facts", || store.funnel_facts(&query.filter))?;
    Ok(funnel_from(&facts, query, group_by, sla_hours, now))
}

/// The funnel report over facts kept in `cache` while the store is unchanged (the server).
pub fn funnel_cached(
    cache: &ReportCache,
    store: &dyn Store,
    query: &ReportQuery,
    group_by: Option<GroupBy>,
    sla_hours: u32,
    now: Timestamp,
) -> Result<FunnelReport, AppError> {
    check_period(query)?;
    let key = (query.clone(), group_by, sla_hours, now.timestamp().div_euclid(60));
    let report = cache.funnel_reports.get_or_load(store, &key, || {
        let facts = timed("funnel facts (cache)", || cache.funnel_facts(store, &query.filter))?;
        Ok::<_, AppError>(funnel_from(&facts, query, group_by, sla_hours, now))
    })?;
    Ok(FunnelReport::clone(&report))
}

fn funnel_from(
    facts: &FunnelFacts,
    query: &ReportQuery,
    group_by: Option<GroupBy>,
    sla_hours: u32,
    now: Timestamp,
) -> FunnelReport {
    let params = FunnelParams { from: query.from, to: query.to, now, sla_hours, group_by };
    timed("funnel report", || funnel_report(facts, &params))
}

pub fn attribution(
    store: &dyn Store,
    query: &ReportQuery,
    model: AttributionModel,
) -> Result<AttributionReport, AppError> {
    check_period(query)?;
    let facts = timed("attribution facts", || store.attribution_facts(&query.filter))?;
    Ok(attribution_report(&facts, &AttributionParams { from: query.from, to: query.to, model }))
}

pub fn attribution_cached(
    cache: &ReportCache,
    store: &dyn Store,
    query: &ReportQuery,
    model: AttributionModel,
) -> Result<AttributionReport, AppError> {
    check_period(query)?;
    let report = cache.attribution_reports.get_or_load(store, &(query.clone(), model), || {
        let facts = timed("attribution facts (cache)", || cache.attribution_facts(store, &query.filter))?;
        Ok::<_, AppError>(attribution_report(
            &facts,
            &AttributionParams { from: query.from, to: query.to, model },
        ))
    })?;
    Ok(AttributionReport::clone(&report))
}

/// Logs how long a step took at debug level, so slow reports can be told apart: loading
/// facts or computing on them.
fn timed<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let result = work();
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "{what}");
    result
}

/// An empty or reversed period is a mistake, not a report of zeros.
fn check_period(query: &ReportQuery) -> Result<(), AppError> {
    if query.from >= query.to {
        return Err(AppError::invalid(
            "from",
            format!(
                "the period must start ({}) before it ends ({})",
                query.from.to_rfc3339(),
                query.to.to_rfc3339()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn check(from: Option<&str>, to: Option<&str>, expected: Result<(&str, &str), &str>) {
        let now = chrono::Utc.with_ymd_and_hms(2025, 3, 10, 15, 30, 0).unwrap();
        let got =
            period(from, to, now).map(|(f, t)| (f.to_rfc3339(), t.to_rfc3339())).map_err(|e| e.to_string());
        match expected {
            Ok((f, t)) => assert_eq!(got, Ok((f.to_owned(), t.to_owned()))),
            Err(prefix) => assert!(got.as_ref().is_err_and(|e| e.starts_with(prefix)), "{got:?}"),
        }
    }

    #[test]
    fn periods_default_to_the_year_up_to_today() {
        check(None, None, Ok(("2024-03-11T00:00:00+00:00", "2025-03-11T00:00:00+00:00")));
        check(Some("2025-01-01"), None, Ok(("2025-01-01T00:00:00+00:00", "2025-03-11T00:00:00+00:00")));
        check(None, Some("2025-01-01"), Ok(("2024-01-02T00:00:00+00:00", "2025-01-01T00:00:00+00:00")));
        check(Some("last week"), None, Err("from: `last week` is not a date"));
        check(None, Some("soon"), Err("to: `soon` is not a date"));
    }

    #[test]
    fn the_funnel_counts_handoffs_and_decisions_from_the_store() {
        use crate::test_support::{at, options, person, user};
        use rapport_domain::{Role, Stage};
        let fixture = crate::test_support::store();
        let store = &*fixture.store;
        user(store, "rep@example.com", Role::SalesRep);
        for email in ["ana@acme.com", "bo@acme.com"] {
            person(store, email, &[Stage::Lead]);
            crate::leads::handoff(store, email, "rep@example.com", &options(2)).unwrap();
        }
        crate::leads::reject(store, "bo@acme.com", "bad_fit", &options(3)).unwrap();
        let query = ReportQuery { from: at(1), to: at(31), filter: FactsFilter::default() };
        let report = funnel(store, &query, None, 24, at(31)).unwrap();
        assert_eq!((report.mql, report.accepted, report.rejected, report.pending), (2, 0, 1, 1));
        assert_eq!(report.rejection_reasons[0].code.as_deref(), Some("bad_fit"));
        let report = attribution(store, &query, AttributionModel::Linear).unwrap();
        assert_eq!(report.total.deals, 0);
    }

    #[test]
    fn reversed_periods_are_refused() {
        let store = crate::test_support::store();
        let (from, to) = period(Some("2025-02-01"), Some("2025-01-01"), chrono::Utc::now()).unwrap();
        let query = ReportQuery { from, to, filter: FactsFilter::default() };
        let error = funnel(&*store.store, &query, None, 24, chrono::Utc::now()).unwrap_err();
        assert!(error.to_string().starts_with("from: the period must start"), "{error}");
        assert!(error.is_user_error());
    }
}
