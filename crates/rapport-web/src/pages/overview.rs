//! The marketing overview: the funnel with conversion between stages, MQL acceptance by month
//! and by source, why sales rejects leads (with sample notes), pipeline and won revenue by
//! source and by campaign under an attribution model, and SLA breaches. Figures come from
//! `rapport_app::reports` over the server's cached facts — the numbers `rapport report
//! funnel` prints — and every bar links to the people behind it.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Html;
use chrono::Utc;
use maud::{html, Markup};
use rapport_app::reports;
use rapport_funnel::{Amounts, AttributionModel, AttributionReport, FunnelReport, GroupBy, KeyedAmounts};
use serde::Deserialize;

use crate::charts::{self, Datum, FunnelStep, Stack};
use crate::format::{money, percent, thousands};
use crate::layout::page as layout;
use crate::pages::ReportFilters;
use crate::session::Viewer;
use crate::{PageError, WebState};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct OverviewQuery {
    #[serde(flatten)]
    filters: ReportFilters,
    model: Option<String>,
}

struct Reports {
    funnel: FunnelReport,
    by_source: FunnelReport,
    attribution: AttributionReport,
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<OverviewQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(rapport_app::permissions::Action::ReadReports)?;
    let model = match query.model.as_deref().filter(|m| !m.is_empty()) {
        None => AttributionModel::W,
        Some(text) => AttributionModel::parse(text).ok_or_else(|| {
            PageError::BadRequest(format!("model: `{text}` is not first, last, linear or w"))
        })?,
    };
    let report_query = query.filters.query()?;
    let (cache, sla_hours) = (Arc::clone(&state.reports), state.sla_hours);
    let reports = state
        .run(move |store| {
            let now = Utc::now();
            let funnel = reports::funnel_cached(&cache, store, &report_query, None, sla_hours, now)?;
            let by_source =
                reports::funnel_cached(&cache, store, &report_query, Some(GroupBy::Source), sla_hours, now)?;
            let attribution = reports::attribution_cached(&cache, store, &report_query, model)?;
            Ok::<_, PageError>(Reports { funnel, by_source, attribution })
        })
        .await?;
    let filters = &query.filters;
    let content = html! {
        (filters.form("/", &[("model", model.as_str())]))
        (kpis(&reports.funnel, filters))
        div.grid {
            section.card { h2 { "Funnel" } (funnel(&reports.funnel, filters)) }
            section.card { h2 { "MQL acceptance by month" } (acceptance_by_month(&reports.funnel, filters)) }
            section.card { h2 { "MQL acceptance by source" } (acceptance_by_source(&reports.by_source, filters)) }
            section.card #rejections { h2 { "Why sales rejects leads" } (rejections(&reports.funnel, filters)) }
            section.card { h2 { "Pipeline and won revenue by source" } (revenue_by_source(&reports.funnel, filters)) }
            section.card #attribution {
                h2 { "Revenue credited to campaigns" }
                (model_switch(filters, model))
                (credit_by_campaign(&reports.attribution, filters))
            }
        }
    };
    Ok(Html(layout(&viewer, "Marketing overview", "/", &["filters.js"], content).into_string()))
}

fn kpis(report: &FunnelReport, filters: &ReportFilters) -> Markup {
    let kpi = |name: &str, value: String, href: String| {
        html! { a.kpi href=(href) { span.value { (value) } span.name { (name) } } }
    };
    html! {
        div.kpis #kpis {
            (kpi("MQLs handed to sales", thousands(report.mql as i64), filters.link("/people", &[("stage", Some("mql"))])))
            (kpi("MQL acceptance rate", percent(report.mql_acceptance_rate), filters.link("/people", &[("stage", Some("sal"))])))
            (kpi("Rejected by sales", thousands(report.rejected as i64), filters.link("/people", &[("stage", Some("rejected"))])))
            (kpi("Waiting for sales", thousands(report.pending as i64), filters.link("/people", &[("outcome", Some("pending"))])))
            (kpi("SLA breaches", format!("{} ({})", thousands(report.sla.breached as i64), percent(report.sla.breach_rate)),
                filters.link("/people", &[("sla", Some("breached"))])))
            (kpi("Open pipeline", money(&report.pipeline.total.0), filters.link("/people", &[("stage", Some("opportunity"))])))
            (kpi("Won revenue", money(&report.won_revenue.total.0), filters.link("/people", &[("stage", Some("customer"))])))
        }
    }
}

fn funnel(report: &FunnelReport, filters: &ReportFilters) -> Markup {
    let steps: Vec<FunnelStep> = report
        .stages
        .iter()
        .map(|stage| FunnelStep {
            datum: Datum {
                label: stage.stage.as_str().to_owned(),
                value: stage.reached as f64,
                display: thousands(stage.reached as i64),
                href: filters.link("/people", &[("stage", Some(stage.stage.as_str()))]),
            },
            conversion: stage
                .next_stage
                .map(|next| format!("{} → {}", percent(stage.conversion_rate), next.as_str())),
        })
        .collect();
    charts::funnel_chart("funnel", "People reaching each stage in the period", &steps)
}

fn acceptance_by_month(report: &FunnelReport, filters: &ReportFilters) -> Markup {
    let stacks: Vec<Stack> = report
        .cohorts
        .iter()
        .map(|cohort| {
            let link = |reached: &str| {
                filters
                    .link("/people", &[("cohort", Some(cohort.month.as_str())), ("reached", Some(reached))])
            };
            Stack {
                label: cohort.month.clone(),
                segments: vec![
                    Datum {
                        label: "accepted".into(),
                        value: cohort.sal as f64,
                        display: thousands(cohort.sal as i64),
                        href: link("sal"),
                    },
                    Datum {
                        label: "not accepted".into(),
                        value: cohort.mql.saturating_sub(cohort.sal) as f64,
                        display: thousands(cohort.mql.saturating_sub(cohort.sal) as i64),
                        href: link("not_sal"),
                    },
                ],
            }
        })
        .collect();
    let rates: Vec<Datum> = report
        .cohorts
        .iter()
        .filter(|cohort| cohort.mql > 0)
        .map(|cohort| {
            let share = cohort.sal as f64 / cohort.mql as f64;
            Datum {
                label: cohort.month.clone(),
                value: share,
                display: percent(Some(share)),
                href: filters
                    .link("/people", &[("cohort", Some(cohort.month.as_str())), ("reached", Some("sal"))]),
            }
        })
        .collect();
    html! {
        (charts::line_chart("acceptance-month", "Share of each month's new MQLs that sales accepted", &rates, true))
        (charts::stacked_chart("acceptance-month-counts", "New MQLs by month: accepted or not", &["accepted", "not accepted"], &stacks))
    }
}

fn acceptance_by_source(report: &FunnelReport, filters: &ReportFilters) -> Markup {
    let bars: Vec<Datum> = report
        .groups
        .iter()
        .filter(|group| group.accepted + group.rejected > 0)
        .map(|group| {
            let key = group.key.as_deref().unwrap_or("(none)");
            Datum {
                label: key.to_owned(),
                value: group.mql_acceptance_rate.unwrap_or(0.0),
                display: format!(
                    "{} of {}",
                    percent(group.mql_acceptance_rate),
                    group.accepted + group.rejected
                ),
                href: filters.link("/people", &[("stage", Some("mql")), ("source", group.key.as_deref())]),
            }
        })
        .collect();
    charts::bar_chart("acceptance-source", "MQL acceptance rate by source (accepted of decided)", &bars, true)
}

fn rejections(report: &FunnelReport, filters: &ReportFilters) -> Markup {
    let bars: Vec<Datum> = report
        .rejection_reasons
        .iter()
        .map(|reason| Datum {
            label: reason.code.clone().unwrap_or_else(|| "(no reason)".into()),
            value: reason.count as f64,
            display: format!("{} ({})", thousands(reason.count as i64), percent(Some(reason.share))),
            href: filters.link("/people", &[("stage", Some("rejected")), ("reason", reason.code.as_deref())]),
        })
        .collect();
    html! {
        (charts::bar_chart("rejections", "Rejected MQLs by reason", &bars, false))
        table {
            thead { tr { th { "Reason" } th.num { "Count" } th { "What sales wrote (latest first)" } } }
            tbody {
                @for reason in &report.rejection_reasons {
                    tr {
                        td { (reason.code.as_deref().unwrap_or("(no reason)")) }
                        td.num { (reason.count) }
                        td { @for note in &reason.sample_notes { q { (note) } " " } }
                    }
                }
            }
        }
    }
}

/// The currency with the largest total, so a chart draws one unit; others are in the tooltips.
fn main_currency<'a>(totals: impl Iterator<Item = &'a Amounts>) -> Option<String> {
    let mut sums: std::collections::BTreeMap<&str, i64> = Default::default();
    for amounts in totals {
        for (currency, cents) in &amounts.0 {
            *sums.entry(currency.as_str()).or_default() += cents;
        }
    }
    sums.into_iter().max_by_key(|(_, cents)| *cents).map(|(currency, _)| currency.to_owned())
}

fn money_bars(rows: &[KeyedAmounts], currency: &str, href: impl Fn(Option<&str>) -> String) -> Vec<Datum> {
    rows.iter()
        .map(|row| Datum {
            label: row.key.clone().unwrap_or_else(|| "(none)".into()),
            value: row.amount.0.get(currency).copied().unwrap_or(0) as f64 / 100.0,
            display: format!("{} · {} deals", money(&row.amount.0), row.deals),
            href: href(row.key.as_deref()),
        })
        .collect()
}

fn revenue_by_source(report: &FunnelReport, filters: &ReportFilters) -> Markup {
    let currency = main_currency([&report.pipeline.total, &report.won_revenue.total].into_iter())
        .unwrap_or_else(|| "USD".into());
    let pipeline = money_bars(&report.pipeline.by_source, &currency, |key| {
        filters.link("/people", &[("deals", Some("open")), ("source", key)])
    });
    let won = money_bars(&report.won_revenue.by_source, &currency, |key| {
        filters.link("/people", &[("deals", Some("won")), ("source", key)])
    });
    html! {
        (charts::bar_chart("pipeline-source", &format!("Open pipeline by source ({currency})"), &pipeline, false))
        (charts::bar_chart("won-source", &format!("Won revenue by source ({currency})"), &won, false))
    }
}

fn model_switch(filters: &ReportFilters, current: AttributionModel) -> Markup {
    html! {
        p.switch {
            "Model: "
            @for model in AttributionModel::ALL {
                a href=(format!("{}#attribution", filters.link("/", &[("model", Some(model.as_str()))])))
                    aria-current=[(model == current).then_some("true")] {
                    (match model {
                        AttributionModel::First => "first touch",
                        AttributionModel::Last => "last touch",
                        AttributionModel::Linear => "linear",
                        AttributionModel::W => "W-shaped",
                    })
                }
            }
        }
    }
}

fn credit_by_campaign(report: &AttributionReport, filters: &ReportFilters) -> Markup {
    let currency = main_currency(report.by_campaign.iter().map(|row| &row.credited_pipeline))
        .unwrap_or_else(|| "USD".into());
    let bars = |won: bool| -> Vec<Datum> {
        let mut rows: Vec<&rapport_funnel::attribution::CreditRow> = report.by_campaign.iter().collect();
        let amount = |row: &rapport_funnel::attribution::CreditRow| {
            let amounts = if won { &row.credited_won } else { &row.credited_pipeline };
            amounts.0.get(&currency).copied().unwrap_or(0)
        };
        rows.sort_by_key(|row| std::cmp::Reverse(amount(row)));
        rows.into_iter()
            .take(12)
            .map(|row| Datum {
                label: row.key.clone().unwrap_or_else(|| "(none)".into()),
                value: amount(row) as f64 / 100.0,
                display: format!(
                    "{} · {} deals",
                    money(&(if won { &row.credited_won } else { &row.credited_pipeline }).0),
                    row.deals_touched
                ),
                href: filters.link("/people", &[("touched_campaign", row.key.as_deref())]),
            })
            .collect()
    };
    html! {
        (charts::bar_chart("credit-pipeline", &format!("Pipeline credited per campaign, top 12 ({currency})"), &bars(false), false))
        (charts::bar_chart("credit-won", &format!("Won revenue credited per campaign, top 12 ({currency})"), &bars(true), false))
        p.muted { (report.unattributed.deals) " deals had no campaign touch before they were created." }
    }
}
