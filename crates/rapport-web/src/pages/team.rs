//! The team page, for sales managers who coach from the interaction stats: a table of reps ×
//! stats with the team average (each rep opens their calls in the same period), and the
//! chosen stat over time for the team and for each rep (each point opens the calls behind
//! it). Every filter is in the URL. The figures and their definitions are
//! `rapport_app::team_stats`'s: only calls the viewer may see count, so a rep sees only
//! themselves. Dates are days as on the calls list: `to` is the last day shown.

use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{Duration, NaiveDate};
use maud::{html, Markup};
use rapport_app::permissions::Action;
use rapport_app::team_stats::{self, PeriodAverages, Stat, TeamStats, TeamStatsQuery, Unit, STATS};
use rapport_domain::Role;
use serde::Deserialize;

use super::filters::given;
use crate::charts::{line_chart, Datum};
use crate::format::link;
use crate::layout::page as layout;
use crate::session::Viewer;
use crate::{PageError, WebState};

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct TeamQuery {
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    rep: Option<String>,
    team: Option<String>,
    stat: Option<String>,
}

fn day(field: &str, value: &Option<String>) -> Result<Option<NaiveDate>, PageError> {
    given(value)
        .map(|text| {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| PageError::BadRequest(format!("{field}: `{text}` is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// The report's query: `to` is the last day shown, so the bound is the next midnight.
fn report_query(query: &TeamQuery) -> Result<TeamStatsQuery, PageError> {
    let from = day("from", &query.from)?.map(|d| d.format("%Y-%m-%d").to_string());
    let to = day("to", &query.to)?.map(|d| (d + Duration::days(1)).format("%Y-%m-%d").to_string());
    Ok(TeamStatsQuery::parse(
        from.as_deref(),
        to.as_deref(),
        given(&query.by).as_deref(),
        given(&query.rep).as_deref(),
        given(&query.team).as_deref(),
    )?)
}

/// The calls list behind a row or a point: the rep (if any) and the days, both inclusive.
fn calls_link(rep: Option<&str>, from: Option<String>, to: Option<String>) -> String {
    link("/calls", &[("rep", rep), ("from", from.as_deref()), ("to", to.as_deref())])
}

fn period_link(rep: Option<&str>, period: &PeriodAverages) -> String {
    let last = period.end - Duration::days(1);
    calls_link(rep, Some(period.start.to_string()), Some(last.to_string()))
}

fn points(stat: &Stat, rep: Option<&str>, trend: &[PeriodAverages]) -> Vec<Datum> {
    trend
        .iter()
        .filter_map(|period| {
            let value = (stat.value)(&period.averages)?;
            Some(Datum {
                label: period.period.clone(),
                value,
                display: format!("{} ({} calls)", stat.display(Some(value)), period.averages.calls),
                href: period_link(rep, period),
            })
        })
        .collect()
}

fn form(query: &TeamQuery, chosen: &Stat) -> Markup {
    let by = given(&query.by).unwrap_or_else(|| "month".into());
    html! {
        form.filters method="get" action="/team" {
            label { "From" input type="date" name="from" value=[query.from.as_deref()]; }
            label { "To" input type="date" name="to" value=[query.to.as_deref()]; }
            label { "Trend by"
                select name="by" {
                    @for period in ["month", "week"] { option value=(period) selected[by == period] { (period) } }
                }
            }
            label { "Team" input type="text" name="team" value=[query.team.as_deref()]; }
            label { "Rep (email)" input type="text" name="rep" value=[query.rep.as_deref()]; }
            label { "Chart"
                select name="stat" {
                    @for stat in &STATS { option value=(stat.key) selected[stat.key == chosen.key] { (stat.label) } }
                }
            }
            button type="submit" { "Apply" }
            a href="/team" { "Reset" }
        }
    }
}

fn table(report: &TeamStats, chosen: &Stat, query: &TeamQuery, own_only: bool) -> Markup {
    let (from, to) = (given(&query.from), given(&query.to));
    html! {
        div.table-wrap {
            table #team-stats {
                thead { tr {
                    th { "Rep" } th.num { "Calls" }
                    @for stat in &STATS { th.num { (stat.label) } }
                    th.num { "Change in " (chosen.label.to_lowercase()) }
                } }
                tbody {
                    @for rep in &report.reps {
                        tr data-email=(rep.rep.email) {
                            th scope="row" { a href=(calls_link(Some(&rep.rep.email), from.clone(), to.clone())) { (rep.rep.name) } }
                            td.num { (rep.averages.calls) }
                            @for stat in &STATS { td.num { (stat.display((stat.value)(&rep.averages))) } }
                            td.num { (chosen.display_change(rep.change.get(chosen.key).copied())) }
                        }
                    }
                }
                tfoot {
                    tr.team-average {
                        th scope="row" { @if own_only { "All your calls" } @else { "Team average" } }
                        td.num { (report.team.calls) }
                        @for stat in &STATS { td.num { (stat.display((stat.value)(&report.team))) } }
                        td.num { "" }
                    }
                }
            }
        }
    }
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<TeamQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadCalls)?;
    let chosen = team_stats::stat("stat", &given(&query.stat).unwrap_or_else(|| "talk_ratio".into()))?;
    let report_query = report_query(&query)?;
    let (user, cache) = (viewer.user.clone(), std::sync::Arc::clone(&state.reports));
    let report = state
        .run(move |store| Ok(team_stats::cached_team_stats(store, &cache.team_stats, &user, &report_query)?))
        .await?;
    let own_only = viewer.user.record.role == Role::SalesRep;
    let percent = chosen.unit == Unit::Share;
    let period = match report.by {
        team_stats::Period::Month => "month",
        team_stats::Period::Week => "week",
    };
    let content = html! {
        (form(&query, &chosen))
        p #team-summary {
            (report.team.calls) " analysed calls, " (report.reps.len()) " reps. Each figure is the mean over the calls where it is defined; the change is the last "
            (period) "'s mean minus the first's. Top performers talk about 43% of the time; results fall past 65%."
            @if own_only { " You see your own calls only." }
        }
        (table(&report, &chosen, &query, own_only))
        h2 { (chosen.label) " by " (period) }
        div.charts {
            (line_chart("trend-team", if own_only { "All your calls" } else { "Team" }, &points(&chosen, None, &report.team_trend), percent))
            @for (index, rep) in report.reps.iter().enumerate() {
                (line_chart(&format!("trend-rep-{index}"), &rep.rep.name, &points(&chosen, Some(&rep.rep.email), &rep.trend), percent))
            }
        }
    };
    Ok(Html(layout(&viewer, "Team", "/team", &["filters.js"], content).into_string()))
}
