//! The lead definition on the scoring page: its versions with their approvals by side, the
//! active document, a line diff between two versions, a backtest of one against the active
//! version, Approve buttons for drafts, and the form for a new draft (the Admin page links
//! here). Drafting and approving go through `rapport_app::scoring::definitions`, which checks
//! the role, the document and the approval rules and writes the audit entries; a refusal is
//! shown on the page with the draft's text kept.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{html, Markup};
use rapport_app::permissions::Action;
use rapport_app::scoring::definitions;
use rapport_app::AppError;
use rapport_domain::Role;
use rapport_scoring::definition::{BacktestReport, MonthRow};
use rapport_store::{ApprovalSide, DefinitionStatus, DefinitionVersion};
use serde::Deserialize;

use super::scoring::{render, DraftBack, Refusal, ScoringData, ScoringQuery, Selection};
use crate::charts::Datum;
use crate::charts_xy::{series_chart, Axis, Series};
use crate::diff::{counts, line_diff, DiffLine};
use crate::format::{date, date_time, percent, query_escape, thousands};
use crate::layout::csrf_field;
use crate::session::{Posted, Viewer};
use crate::{PageError, WebState};

pub(crate) fn section(viewer: &Viewer, data: &ScoringData, selection: &Selection) -> Markup {
    let active = data.versions.iter().find(|v| v.status == DefinitionStatus::Active);
    html! {
        section.card #definition {
            h2 { "Lead definition" }
            @if let Some(active) = active {
                p { "Scores use version " strong { (active.version) } ", agreed by marketing and sales"
                    @if let Some(at) = active.activated_at { " on " (date_time(at)) } "." }
            } @else {
                p.muted { "No version has been approved by both teams yet: scores use Rapport's default definition, shown below." }
            }
            (versions_table(viewer, &data.versions))
            @if data.versions.len() >= 2 { (diff_picker(&data.versions, selection.diff)) }
            @if let Some((a, b)) = selection.diff { (diff_view(&data.versions, a, b)) }
            @if let Some((number, comparison)) = &data.backtest {
                (backtest_view(*number, comparison))
            }
            details open[active.is_none()] {
                summary { @if active.is_some() { "The active definition" } @else { "Rapport's default definition" } }
                pre.document #active-document { (data.active_document) }
            }
        }
    }
}

/// The form for a new draft, for those who may write one (it comes last on the page: long).
pub(crate) fn draft_section(viewer: &Viewer, data: &ScoringData, refusal: &Refusal) -> Markup {
    html! {
        @if viewer.can(Action::DraftDefinition) { (draft_form(viewer, &data.active_document, refusal.draft.as_ref())) }
    }
}

fn approval_by(version: &DefinitionVersion, side: ApprovalSide) -> Markup {
    match version.approvals.iter().find(|a| a.side == side) {
        Some(approval) => html! {
            div { (side.as_str()) ": " (approval.user_email) " " span.muted { (date(approval.approved_at)) } }
        },
        None => html! { div.muted { (side.as_str()) ": –" } },
    }
}

fn versions_table(viewer: &Viewer, versions: &[DefinitionVersion]) -> Markup {
    let active = versions.iter().find(|v| v.status == DefinitionStatus::Active).map(|v| v.version);
    html! {
        @if versions.is_empty() {
            p.muted { "No versions yet." }
        } @else {
            div.table-wrap {
                table #versions {
                    thead { tr {
                        th { "Version" } th { "Status" } th { "Written by" } th { "Comment" } th { "Approvals" } th { "" }
                    } }
                    tbody {
                        @for version in versions.iter().rev() {
                            tr id=(format!("version-{}", version.version)) {
                                td.num { (version.version) }
                                td { span.tag { (version.status.as_str()) } }
                                td { (version.author_email.as_deref().unwrap_or("–")) br; span.muted { (date(version.created_at)) } }
                                td { (version.comment.as_deref().unwrap_or("")) }
                                td {
                                    (approval_by(version, ApprovalSide::Marketing))
                                    (approval_by(version, ApprovalSide::Sales))
                                }
                                td {
                                    @if let Some(active) = active.filter(|a| *a != version.version) {
                                        a href=(format!("/scoring?a={active}&b={}#diff", version.version)) { "Diff with active" } " · "
                                    }
                                    a href=(format!("/scoring?backtest={}#backtest", version.version)) { "Backtest" }
                                    @if version.status == DefinitionStatus::Draft && viewer.can(Action::ApproveDefinition) {
                                        (approve_form(viewer, version))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn approve_form(viewer: &Viewer, version: &DefinitionVersion) -> Markup {
    if let Some(mine) = version.approvals.iter().find(|a| a.user_id == viewer.user.id) {
        return html! { p.muted { "You approved for " (mine.side.as_str()) "." } };
    }
    html! {
        form.inline method="post" action=(format!("/scoring/definitions/{}/approve", version.version)) {
            (csrf_field(viewer))
            @if viewer.user.record.role == Role::Admin {
                select name="side" aria-label="Approve for" {
                    option value="marketing" { "for marketing" }
                    option value="sales" { "for sales" }
                }
            }
            button type="submit" { "Approve v" (version.version) }
        }
    }
}

fn diff_picker(versions: &[DefinitionVersion], chosen: Option<(i64, i64)>) -> Markup {
    let last = versions.len() - 1;
    let (a, b) = chosen.unwrap_or((versions[last - 1].version, versions[last].version));
    let select = |name: &str, selected: i64| {
        html! {
            select name=(name) {
                @for version in versions { option value=(version.version) selected[version.version == selected] { "v" (version.version) } }
            }
        }
    };
    html! {
        form.filters method="get" action="/scoring#diff" {
            label { "Compare" (select("a", a)) }
            label { "with" (select("b", b)) }
            button type="submit" { "Show the diff" }
        }
    }
}

fn diff_view(versions: &[DefinitionVersion], a: i64, b: i64) -> Markup {
    let document =
        |number: i64| versions.iter().find(|v| v.version == number).map_or("", |v| v.document.as_str());
    let lines = line_diff(document(a), document(b));
    let (added, removed) = counts(&lines);
    html! {
        h3 #diff { "Version " (a) " → version " (b) }
        p.muted #diff-summary { "Lines added: " (added) ", removed: " (removed) "." }
        pre.document.diff {
            @for line in &lines {
                @match line {
                    DiffLine::Same(text) => { span { "  " (text) } },
                    DiffLine::Removed(text) => { span.removed { "- " (text) } },
                    DiffLine::Added(text) => { span.added { "+ " (text) } },
                }
            }
        }
    }
}

fn backtest_view(number: i64, comparison: &rapport_scoring::definition::Comparison) -> Markup {
    let mut labels: Vec<String> = comparison
        .draft
        .months
        .iter()
        .chain(comparison.active.iter().flat_map(|a| &a.months))
        .map(|m| m.month.clone())
        .collect();
    labels.sort();
    labels.dedup();
    let series_of = |name: String, report: &BacktestReport| Series {
        points: labels
            .iter()
            .map(|label| {
                report.months.iter().find(|m| &m.month == label).map(|m| Datum {
                    label: label.clone(),
                    value: m.mqls as f64,
                    display: format!("{} MQLs", thousands(m.mqls as i64)),
                    href: format!("#backtest-{label}"),
                })
            })
            .collect(),
        name,
    };
    let mut series = vec![series_of(format!("version {number}"), &comparison.draft)];
    if let Some(active) = &comparison.active {
        series.push(series_of("active definition".into(), active));
    }
    let month = |report: Option<&BacktestReport>, label: &str| -> Option<MonthRow> {
        report.and_then(|r| {
            if label == "total" {
                Some(r.total.clone())
            } else {
                r.months.iter().find(|m| m.month == label).cloned()
            }
        })
    };
    let cells = |row: Option<MonthRow>| match row {
        Some(row) => html! {
            td.num { (thousands(row.mqls as i64)) } td.num { (percent(row.acceptance_rate)) }
            td.num { (percent(row.opportunity_rate)) } td.num { (percent(row.win_rate)) }
        },
        None => html! { td.num { "–" } td.num { "–" } td.num { "–" } td.num { "–" } },
    };
    let rows: Vec<String> = labels.iter().cloned().chain(std::iter::once("total".to_owned())).collect();
    html! {
        h3 #backtest { "Backtest of version " (number) }
        p.muted {
            "When each person would have crossed the MQL threshold under version " (number)
            @if comparison.active.is_some() { ", next to the active definition" } @else { " (the active definition)" }
            ", and how those people went on: accepted by sales, became an opportunity, won."
        }
        div.chart-wide { (series_chart("backtest-chart", "MQLs per month", &labels, &series, Axis::Count)) }
        div.table-wrap {
            table #backtest-table {
                thead {
                    tr { th {} th colspan="4" { "Version " (number) } @if comparison.active.is_some() { th colspan="4" { "Active" } } }
                    tr { th { "Month" } @for _ in 0..series.len() { th.num { "MQLs" } th.num { "Accepted" } th.num { "Opportunity" } th.num { "Won" } } }
                }
                tbody {
                    @for label in &rows {
                        tr id=(format!("backtest-{label}")) {
                            th scope="row" { (label) }
                            (cells(month(Some(&comparison.draft), label)))
                            @if comparison.active.is_some() { (cells(month(comparison.active.as_ref(), label))) }
                        }
                    }
                }
            }
        }
    }
}

fn draft_form(viewer: &Viewer, active_document: &str, back: Option<&DraftBack>) -> Markup {
    html! {
        section.card #draft {
            h2 { "Draft a new version" }
            p.muted { "Edit the TOML below. The draft is checked before it is stored, and becomes the active definition once a marketing and a sales user approve it." }
            @if let Some(back) = back { p.message.error role="alert" #draft-error { (back.error) } }
            form.stack method="post" action="/scoring/definitions#draft" {
                (csrf_field(viewer))
                label { "Definition (TOML)"
                    textarea.document name="document" spellcheck="false" required {
                        (back.map_or(active_document, |b| b.document.as_str()))
                    }
                }
                label { "Comment (what changed and why)"
                    input type="text" name="comment" value=(back.map_or("", |b| b.comment.as_str()));
                }
                button type="submit" { "Save draft" }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DraftForm {
    #[serde(default)]
    document: String,
    #[serde(default)]
    comment: String,
}

pub(crate) async fn draft(
    State(state): State<WebState>,
    posted: Posted<DraftForm>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::DraftDefinition)?;
    let Posted { viewer, form } = posted;
    let (user, document, comment) = (viewer.user.clone(), form.document.clone(), form.comment.clone());
    let stored = state
        .run(move |store| {
            let comment = Some(comment.trim()).filter(|c| !c.is_empty());
            Ok::<_, PageError>(definitions::draft(store, &user, &document, comment, Utc::now()))
        })
        .await?;
    match stored {
        Ok(version) => {
            let done = format!(
                "Draft version {} stored; it becomes active once marketing and sales approve it.",
                version.version
            );
            Ok(Redirect::to(&format!("/scoring?done={}#version-{}", query_escape(&done), version.version))
                .into_response())
        }
        Err(error @ AppError::Invalid { .. }) => {
            let back = DraftBack { error: error.to_string(), document: form.document, comment: form.comment };
            render(&state, viewer, &ScoringQuery::default(), Refusal { draft: Some(back), approval: None })
                .await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ApproveForm {
    side: Option<String>,
}

pub(crate) async fn approve(
    State(state): State<WebState>,
    Path(version): Path<String>,
    posted: Posted<ApproveForm>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ApproveDefinition)?;
    let Posted { viewer, form } = posted;
    let version: i64 = version
        .parse()
        .map_err(|_| PageError::BadRequest(format!("version: `{version}` is not a version number")))?;
    let user = viewer.user.clone();
    let side = form.side.filter(|s| !s.trim().is_empty());
    let approved = state
        .run(move |store| {
            Ok::<_, PageError>(definitions::approve(store, &user, version, side.as_deref(), Utc::now()))
        })
        .await?;
    match approved {
        Ok(approved) => {
            let done = if approved.status == DefinitionStatus::Active {
                format!("Version {version} approved by both teams: it is now the active definition.")
            } else {
                let sides: Vec<&str> = approved.approvals.iter().map(|a| a.side.as_str()).collect();
                let waiting = if sides.contains(&"marketing") { "sales" } else { "marketing" };
                format!(
                    "Version {version} approved for {}; it becomes active once {waiting} approves.",
                    sides.join(" and ")
                )
            };
            Ok(Redirect::to(&format!("/scoring?done={}#version-{version}", query_escape(&done)))
                .into_response())
        }
        Err(error @ AppError::Invalid { .. }) => {
            let refusal = Refusal { draft: None, approval: Some(error.to_string()) };
            render(&state, viewer, &ScoringQuery::default(), refusal).await
        }
        Err(error) => Err(error.into()),
    }
}
