//! Voice of the customer: what customers say on calls — each tracker's share of calls overall,
//! in won and in lost deals, the lift between them with its p-value, by segment when asked —
//! with quotes that open the call at that second. Quotes from calls the viewer may not open
//! are left out, so the page never shows a rep another rep's call.

use axum::extract::{Query, State};
use axum::response::Html;
use maud::html;
use rapport_app::permissions::{self, Action};
use rapport_app::report_cache::ReportCache;
use rapport_app::voc::{voc_report, Segment, VocKind, VocReport};
use rapport_store::analysis::AnalysisFilter;
use serde::Deserialize;

use super::filters::given;
use crate::charts::{bar_chart, Datum};
use crate::format::query_escape;
use crate::layout::page as layout;
use crate::session::Viewer;
use crate::{PageError, WebState};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct VocQuery {
    by: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn percent(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn load(
    store: &dyn rapport_store::Store,
    cache: &ReportCache,
    viewer: &Viewer,
    query: &VocQuery,
) -> Result<VocReport, PageError> {
    // No dates: every analysed call (the funnel's default period would hide older calls).
    let (from, to) = match (given(&query.from), given(&query.to)) {
        (None, None) => (None, None),
        (from, to) => {
            let (from, to) =
                rapport_app::reports::period(from.as_deref(), to.as_deref(), chrono::Utc::now())?;
            (Some(from), Some(to))
        }
    };
    let by = given(&query.by).map(|by| Segment::parse(&by)).transpose()?;
    // Kept until the store changes; the quotes are narrowed to the viewer's calls on each view.
    let filter = AnalysisFilter { from, to };
    let key = format!("{filter:?}|{by:?}");
    let report = cache.voc_reports.get_or_load(store, &key, || voc_report(store, &filter, by))?;
    let mut report = VocReport::clone(&report);
    let scope = permissions::scope(store, &viewer.user)?;
    for item in &mut report.trackers {
        let mut visible = Vec::new();
        for quote in item.quotes.drain(..) {
            if let Some(call) = store.call(quote.call)? {
                if scope.allows(call.rep_id) {
                    visible.push(quote);
                }
            }
        }
        item.quotes = visible;
    }
    Ok(report)
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<VocQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadReports)?;
    let for_load = viewer.clone();
    let by = query.by.clone().unwrap_or_default();
    let cache = std::sync::Arc::clone(&state.reports);
    let report = state.run(move |store| load(store, &cache, &for_load, &query)).await?;
    let shares: Vec<Datum> = report
        .trackers
        .iter()
        .map(|item| Datum {
            label: item.tracker.clone(),
            value: item.overall.share.unwrap_or(0.0),
            display: percent(item.overall.share),
            href: format!("/calls?q={}", query_escape(&item.tracker)),
        })
        .collect();
    let content = html! {
        form.filters method="get" action="/voc" {
            label { "Segment "
                select name="by" {
                    option value="" selected[by.is_empty()] { "none" }
                    @for (value, label) in [("industry", "Industry"), ("size_band", "Size band"), ("source", "Source"), ("campaign", "Campaign")] {
                        option value=(value) selected[by == value] { (label) }
                    }
                }
            }
            button type="submit" { "Show" }
        }
        p.muted { (report.calls) " analysed calls: " (report.won_calls) " in won deals, " (report.lost_calls)
            " in lost ones. A call mentions a tracker (or a smart tracker, or a discovered topic) when the customer side says it. Lift is the share in won deals over the share in lost ones; p is from a "
            (report.significance_test) "." }
        (bar_chart("voc-share", "Share of calls mentioning each tracker", &shares, true))
        div.table-wrap {
            table #voc {
                thead { tr { th { "Tracker or topic" } th { "All calls" } th { "Won" } th { "Lost" } th { "Lift" } th { "p" } th { "What customers said" } } }
                tbody {
                    @for item in &report.trackers {
                        tr {
                            th scope="row" {
                                (item.tracker)
                                @match item.kind {
                                    VocKind::Smart => { " " span.muted.kind { "smart tracker" } }
                                    VocKind::Topic => { " " span.muted.kind { "topic" } }
                                    VocKind::Keyword => {}
                                }
                            }
                            td { (percent(item.overall.share)) }
                            td { (percent(item.won.share)) }
                            td { (percent(item.lost.share)) }
                            td { (item.lift.map_or("–".to_owned(), |l| format!("{l:.2}×"))) }
                            td { (item.p_value.map_or("–".to_owned(), |p| format!("{p:.3}"))) }
                            td {
                                @if !item.segments.is_empty() {
                                    p.segments { @for group in &item.segments {
                                        span.segment { (group.group) ": " (percent(group.share.share)) " " }
                                    } }
                                }
                                ul.quotes {
                                    @for quote in &item.quotes {
                                        li {
                                            a href=(format!("/calls/{}?t={:.0}", quote.call.0, quote.time_ms as f64 / 1000.0)) {
                                                "“" (quote.text) "”"
                                            }
                                            span.muted { " — " (quote.call_title) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(layout(&viewer, "Voice of the customer", "/voc", &[], content).into_string()))
}
