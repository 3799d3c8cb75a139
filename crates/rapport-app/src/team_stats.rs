//! Team averages and each rep's trend over time, for sales managers who coach from the
//! interaction stats (PRODUCT.md, "The interaction stats").
//!
//! Definitions:
//! - The calls are the analysed calls the viewer may see ([`crate::visibility`]) that started
//!   in the period (`from` inclusive, `to` exclusive) and have a rep; with `team`, only the
//!   calls of that team's reps. Each stat is read from the call's stored analysis.
//! - A mean is over the calls where the stat is defined (a call without a customer turn has
//!   no patience and is left out of that mean, not counted as zero), by
//!   [`rapport_conversation::averages`], the same function the call page compares against.
//! - The **team average** is the mean over all those calls, each call weighing once; it stays
//!   the whole team's when `rep` picks one rep's row. A sales rep sees only their own calls, so
//!   their "team" is themselves: nothing of another rep's calls reaches them, not even a mean.
//! - A rep's **trend** is their means per calendar month (`2024-03`) or ISO week
//!   (`2024-W09`, weeks start on Monday) they had calls in, oldest first; the **change** of a
//!   stat is its mean in the last of those periods minus its mean in the first (absent with
//!   one period, or when either mean is undefined).
//!
//! [`compute_team_stats`] is pure over [`StatCall`]s; [`team_stats`] reads them from the
//! store ([`rapport_store::AnalysisStore::analysis_facts`], only the documents' `stats`), and
//! [`cached_team_stats`] keeps them in memory while the store's revision is unchanged.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use rapport_conversation::{averages, CallStats, MetricAverages};
use rapport_domain::{EmailAddress, Timestamp, User, UserId};
use rapport_store::analysis::AnalysisFilter;
use rapport_store::Store;
use serde::{Deserialize, Serialize};

use crate::permissions::{self, Action};
pub use crate::team_stats_cache::StatCallCache;
pub use table::{stat, Stat, Unit, STATS};

#[path = "team_stats_table.rs"]
mod table;
use crate::AppError;

/// The length of a trend's periods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Month,
    Week,
}

impl Period {
    /// `month` or `week`; anything else is refused naming the field `by`.
    pub fn parse(text: &str) -> Result<Period, AppError> {
        match text.trim() {
            "month" => Ok(Period::Month),
            "week" => Ok(Period::Week),
            other => Err(AppError::invalid("by", format!("`{other}` is not one of month, week"))),
        }
    }

    /// The period holding `day`: its label, first day and the first day after it.
    pub fn of(self, day: NaiveDate) -> (String, NaiveDate, NaiveDate) {
        match self {
            Period::Month => {
                let start = day.with_day(1).expect("every month has a first day");
                let end = start.checked_add_months(chrono::Months::new(1)).expect("a date after it");
                (format!("{:04}-{:02}", day.year(), day.month()), start, end)
            }
            Period::Week => {
                let week = day.iso_week();
                let start = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                (format!("{:04}-W{:02}", week.year(), week.week()), start, start + Duration::days(7))
            }
        }
    }
}

/// One analysed call as the report needs it.
#[derive(Debug, Clone)]
pub struct StatCall {
    pub rep: UserId,
    pub started_at: Timestamp,
    pub stats: CallStats,
}

/// Who a rep is, for the report's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepInfo {
    pub email: String,
    pub name: String,
    pub team: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodAverages {
    /// `2024-03` or `2024-W09`.
    pub period: String,
    pub start: NaiveDate,
    /// The first day after the period.
    pub end: NaiveDate,
    pub averages: MetricAverages,
}

/// Last period's mean minus the first period's, per stat (keys of [`STATS`]).
pub type Change = BTreeMap<&'static str, f64>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepStats {
    #[serde(flatten)]
    pub rep: RepInfo,
    pub averages: MetricAverages,
    pub trend: Vec<PeriodAverages>,
    /// Absent stats had no defined mean in the first or the last period (or one period only).
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamStats {
    pub by: Period,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub team_name: Option<String>,
    /// Means over every call of the report, each call once.
    pub team: MetricAverages,
    pub team_trend: Vec<PeriodAverages>,
    /// In name order (then email).
    pub reps: Vec<RepStats>,
}

fn trend(calls: &[&StatCall], by: Period) -> Vec<PeriodAverages> {
    let mut periods: BTreeMap<NaiveDate, (String, NaiveDate, Vec<&CallStats>)> = BTreeMap::new();
    for call in calls {
        let (label, start, end) = by.of(call.started_at.date_naive());
        periods.entry(start).or_insert_with(|| (label, end, Vec::new())).2.push(&call.stats);
    }
    periods
        .into_iter()
        .map(|(start, (period, end, stats))| PeriodAverages {
            period,
            start,
            end,
            averages: averages(&stats),
        })
        .collect()
}

fn change(trend: &[PeriodAverages]) -> Change {
    let (Some(first), Some(last)) = (trend.first(), trend.last()) else { return Change::new() };
    if trend.len() < 2 {
        return Change::new();
    }
    STATS
        .iter()
        .filter_map(|stat| Some((stat.key, (stat.value)(&last.averages)? - (stat.value)(&first.averages)?)))
        .collect()
}

/// The report over `calls` (already the viewer's, period's and team's), with rows for the reps
/// `rows` keeps (every rep when `None`); reps missing from `reps` are named by their id.
pub fn compute_team_stats(
    calls: &[StatCall],
    reps: &BTreeMap<UserId, RepInfo>,
    rows: Option<UserId>,
    by: Period,
) -> TeamStats {
    compute(calls.iter().collect(), reps, rows, by)
}

fn compute(
    all: Vec<&StatCall>,
    reps: &BTreeMap<UserId, RepInfo>,
    rows: Option<UserId>,
    by: Period,
) -> TeamStats {
    let mut by_rep: BTreeMap<UserId, Vec<&StatCall>> = BTreeMap::new();
    for &call in all.iter().filter(|call| rows.is_none_or(|only| call.rep == only)) {
        by_rep.entry(call.rep).or_default().push(call);
    }
    let mut rep_rows: Vec<RepStats> = by_rep
        .into_iter()
        .map(|(id, calls)| {
            let stats: Vec<&CallStats> = calls.iter().map(|call| &call.stats).collect();
            let trend = trend(&calls, by);
            let rep = reps.get(&id).cloned().unwrap_or_else(|| RepInfo {
                email: String::new(),
                name: format!("user {}", id.0),
                team: None,
            });
            RepStats { rep, averages: averages(&stats), change: change(&trend), trend }
        })
        .collect();
    rep_rows.sort_by(|a, b| a.rep.name.cmp(&b.rep.name).then(a.rep.email.cmp(&b.rep.email)));
    let stats: Vec<&CallStats> = all.iter().map(|call| &call.stats).collect();
    TeamStats {
        by,
        from: None,
        to: None,
        team_name: None,
        team: averages(&stats),
        team_trend: trend(&all, by),
        reps: rep_rows,
    }
}

/// What the report is asked for, parsed at the edge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamStatsQuery {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub by: Period,
    /// Only this rep's row (the team average stays the team's).
    pub rep: Option<EmailAddress>,
    /// Only the calls of the reps of this team.
    pub team: Option<String>,
}

impl TeamStatsQuery {
    /// Parses the query's texts (dates as the reports take them); errors name the field.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        by: Option<&str>,
        rep: Option<&str>,
        team: Option<&str>,
    ) -> Result<TeamStatsQuery, AppError> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let bound = |field: &str, v: Option<&str>| {
            given(v).map(|text| crate::search::parse_bound(field, text)).transpose()
        };
        Ok(TeamStatsQuery {
            from: bound("from", from)?,
            to: bound("to", to)?,
            by: given(by).map(Period::parse).transpose()?.unwrap_or_default(),
            rep: given(rep)
                .map(|text| EmailAddress::parse(text).map_err(|e| AppError::invalid("rep", e.to_string())))
                .transpose()?,
            team: given(team).map(str::to_owned),
        })
    }
}

/// The report for `viewer` (who needs [`Action::ReadCalls`]), reading the period's analyses
/// from the store (the CLI: one report per process).
pub fn team_stats(store: &dyn Store, viewer: &User, query: &TeamStatsQuery) -> Result<TeamStats, AppError> {
    permissions::require(viewer, Action::ReadCalls)?;
    let calls = crate::team_stats_cache::load(store, &AnalysisFilter { from: query.from, to: query.to })?;
    report_for(store, viewer, query, &calls)
}

/// [`team_stats`] over the calls kept in `cache` while the store is unchanged (the server).
pub fn cached_team_stats(
    store: &dyn Store,
    cache: &StatCallCache,
    viewer: &User,
    query: &TeamStatsQuery,
) -> Result<TeamStats, AppError> {
    permissions::require(viewer, Action::ReadCalls)?;
    report_for(store, viewer, query, &cache.calls(store)?)
}

/// The team average alone, over the viewer's visible calls since `from` (the call page's
/// comparison).
pub fn team_average(
    store: &dyn Store,
    cache: &StatCallCache,
    viewer: &User,
    from: Timestamp,
) -> Result<MetricAverages, AppError> {
    let query = TeamStatsQuery { from: Some(from), ..Default::default() };
    Ok(cached_team_stats(store, cache, viewer, &query)?.team)
}

/// The report over `calls`: those the viewer may see, in the period and the team. Naming a
/// rep the viewer may not see is refused.
fn report_for(
    store: &dyn Store,
    viewer: &User,
    query: &TeamStatsQuery,
    calls: &[StatCall],
) -> Result<TeamStats, AppError> {
    let scope = permissions::scope(store, viewer)?;
    let users = store.list_users()?;
    if let Some(team) = &query.team {
        if !users.iter().any(|u| u.record.team.as_deref() == Some(team)) {
            return Err(AppError::invalid("team", format!("no user is in the team `{team}`")));
        }
    }
    let rows = match &query.rep {
        None => None,
        Some(email) => {
            let rep = users
                .iter()
                .find(|u| u.record.email == *email)
                .ok_or_else(|| AppError::invalid("rep", format!("no user `{email}`")))?;
            if !scope.allows(Some(rep.id)) {
                return Err(AppError::Forbidden(format!(
                    "{} may not see the calls of {email}",
                    viewer.record.email
                )));
            }
            Some(rep.id)
        }
    };
    let team: Option<BTreeSet<UserId>> = query
        .team
        .as_deref()
        .map(|team| users.iter().filter(|u| u.record.team.as_deref() == Some(team)).map(|u| u.id).collect());
    let in_team = |id: UserId| team.as_ref().is_none_or(|members| members.contains(&id));
    let in_period =
        |at: Timestamp| query.from.is_none_or(|from| at >= from) && query.to.is_none_or(|to| at < to);
    let calls: Vec<&StatCall> = calls
        .iter()
        .filter(|call| scope.allows(Some(call.rep)) && in_team(call.rep) && in_period(call.started_at))
        .collect();
    let reps: BTreeMap<UserId, RepInfo> = users
        .into_iter()
        .map(|u| {
            let info =
                RepInfo { email: u.record.email.to_string(), name: u.record.name, team: u.record.team };
            (u.id, info)
        })
        .collect();
    let mut report = compute(calls, &reps, rows, query.by);
    report.from = query.from;
    report.to = query.to;
    report.team_name = query.team.clone();
    Ok(report)
}

#[cfg(test)]
#[path = "team_stats_tests.rs"]
mod tests;
