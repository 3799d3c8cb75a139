//! Content: which items of the content library sales uses on calls (calls and reps, won vs
//! lost with lift and p-value), the deals marketing's touches with each item reached, and the
//! content no call mentions. The figures count only the calls the viewer may see, so a rep's
//! numbers agree with the calls list each bar links to.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{Duration, NaiveDate, NaiveTime};
use maud::{html, Markup};
use rapport_app::content_usage::{content_usage, ContentUsage, ContentUsageReport};
use rapport_app::permissions::{self, Action};
use rapport_domain::{FactsFilter, User};
use rapport_store::analysis::AnalysisFilter;
use serde::Deserialize;

use super::calls::parse_date;
use super::filters::given;
use crate::charts::{bar_chart, Datum};
use crate::format::{link, percent};
use crate::layout::page as layout;
use crate::session::Viewer;
use crate::{PageError, WebState};

/// How many items the chart shows (the table lists them all).
const CHART_ITEMS: usize = 15;

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContentQuery {
    from: Option<String>,
    to: Option<String>,
}

impl ContentQuery {
    /// Calls started on `from` or later and on `to` or earlier (whole days, UTC), the way the
    /// calls list reads the same dates, so a drill-down shows exactly the calls counted.
    fn filter(&self) -> Result<AnalysisFilter, PageError> {
        let start = |date: NaiveDate| date.and_time(NaiveTime::MIN).and_utc();
        Ok(AnalysisFilter {
            from: parse_date("from", &self.from)?.map(start),
            to: parse_date("to", &self.to)?.map(|date| start(date) + Duration::days(1)),
        })
    }

    /// The calls list behind one item, in the same period.
    fn calls_link(&self, item: &ContentUsage) -> String {
        let content = item.key.filter_value(&item.title);
        link(
            "/calls",
            &[
                ("content", Some(content.as_str())),
                ("from", given(&self.from).as_deref()),
                ("to", given(&self.to).as_deref()),
            ],
        )
    }
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<ContentQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadReports)?;
    let (for_load, cache, for_query) = (viewer.clone(), Arc::clone(&state.reports), query.clone());
    let (report, users) = state
        .run(move |store| {
            let filter = for_query.filter()?;
            let scope = permissions::scope(store, &for_load.user)?;
            // Kept until the store changes: the report walks every attribution touch.
            let key = format!("{filter:?}|{scope:?}");
            let report = cache.content_reports.get_or_load(store, &key, || {
                let attribution = cache.attribution_facts(store, &FactsFilter::default())?;
                content_usage(store, &filter, &attribution, |rep| scope.allows(rep))
            })?;
            Ok::<_, PageError>((
                rapport_app::content_usage::ContentUsageReport::clone(&report),
                store.list_users()?,
            ))
        })
        .await?;
    let data: Vec<Datum> = report
        .used
        .iter()
        .take(CHART_ITEMS)
        .map(|item| Datum {
            label: item.title.clone(),
            value: item.overall.mentioning as f64,
            display: item.overall.mentioning.to_string(),
            href: query.calls_link(item),
        })
        .collect();
    let content = html! {
        form.filters method="get" action="/content" {
            label { "From" input type="date" name="from" value=[query.from.as_deref()]; }
            label { "To" input type="date" name="to" value=[query.to.as_deref()]; }
            button type="submit" { "Apply" }
            a href="/content" { "Reset" }
        }
        p.muted #content-summary {
            (report.calls) " analysed calls you may see: " (report.won_calls) " in won deals, "
            (report.lost_calls) " in lost ones. A call uses an item when someone on it names it (title or link). "
            "Lift is the share of won calls using it over the share of lost ones; p is from a "
            (report.significance_test) ". Deals touched: deals whose contacts had a marketing touch with the item before the deal was created."
        }
        (bar_chart("content-calls", "Calls that use each item", &data, false))
        h2 { "Content used on calls" }
        (usage_table("content-used", &report.used, &query, &users))
        section.card #unused {
            h2 { "Content no one uses" }
            (unused_list(&report))
        }
    };
    Ok(Html(layout(&viewer, "Content", "/content", &[], content).into_string()))
}

fn rep_names(item: &ContentUsage, users: &[User]) -> String {
    let names: Vec<&str> = item
        .reps
        .iter()
        .filter_map(|id| users.iter().find(|u| u.id == *id).map(|u| u.record.name.as_str()))
        .collect();
    if names.is_empty() {
        "–".to_owned()
    } else {
        names.join(", ")
    }
}

fn touched(item: &ContentUsage) -> String {
    if item.touched.deals == 0 {
        "–".to_owned()
    } else {
        format!("{} ({} won)", item.touched.deals, item.touched.won)
    }
}

fn usage_table(id: &str, items: &[ContentUsage], query: &ContentQuery, users: &[User]) -> Markup {
    html! {
        @if items.is_empty() {
            p.muted { "No call in this period mentions any content." }
        } @else {
            div.table-wrap {
                table id=(id) {
                    thead { tr {
                        th { "Content" } th { "Type" } th.num { "Calls" } th.num { "Share" } th { "Reps" }
                        th.num { "Won" } th.num { "Lost" } th.num { "Lift" } th.num { "p" } th.num { "Deals touched" }
                    } }
                    tbody {
                        @for item in items {
                            tr {
                                th scope="row" {
                                    a href=(query.calls_link(item)) { (item.title) }
                                    @if item.url.is_none() { " " span.tag { "not in the library" } }
                                }
                                td { (item.content_type.as_deref().unwrap_or("–")) }
                                td.num { (item.overall.mentioning) }
                                td.num { (percent(item.overall.share)) }
                                td { (rep_names(item, users)) }
                                td.num { (percent(item.won.share)) }
                                td.num { (percent(item.lost.share)) }
                                td.num { (item.lift.map_or("–".to_owned(), |l| format!("{l:.2}×"))) }
                                td.num { (item.p_value.map_or("–".to_owned(), |p| format!("{p:.3}"))) }
                                td.num { (touched(item)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Only web addresses become links: a CRM's `javascript:` URL stays text.
fn web_link(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("https://") || url.starts_with("http://")
}

fn unused_list(report: &ContentUsageReport) -> Markup {
    html! {
        @if report.unused.is_empty() {
            p.muted { "Every item of the library came up on a call in this period." }
        } @else {
            p.muted { "Library items no call in this period mentions. Those marked “never reached a deal” were not read by any deal's contacts before the deal either." }
            ul #unused-content {
                @for item in &report.unused {
                    li {
                        @if let Some(url) = item.url.as_deref().filter(|url| web_link(url)) {
                            a href=(url) rel="noopener noreferrer" { (item.title) }
                        } @else { (item.title) }
                        @if let Some(kind) = &item.content_type { " · " span.muted { (kind) } }
                        @if item.touched.deals == 0 { " " span.tag { "never reached a deal" } }
                        @else { " · " span.muted { "touches reached " (item.touched.deals) " deals" } }
                    }
                }
            }
        }
    }
}
