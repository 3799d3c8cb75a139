//! Scoring: the shared lead definition (versions with their approvals, the active rules, a
//! diff between two versions, a backtest of one, a form for a new draft — see
//! `scoring_definition`), the model's accuracy (`scoring_model`) and how today's scores spread
//! over grades and probabilities, each bar listing the people behind it
//! (`scoring_distribution`).
//!
//! Everything a view shows is in its URL, so it can be shared by link: `?a=3&b=5` (or
//! `?diff=3..5`) compares two versions; `?backtest=N` replays the workspace's history under
//! version N — only when asked, since it reads every person's history; `?grade=B` or `?bar=7`
//! lists the people behind a bar, only those the viewer may see (reps their own leads,
//! managers their team's).

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use maud::html;
use rapport_app::permissions::{self, Action, Scope};
use rapport_app::scoring::definitions;
use rapport_app::scoring::train::ModelMetrics;
use rapport_domain::{FactsFilter, PersonId, Timestamp};
use rapport_scoring::definition::Comparison;
use rapport_store::{DefinitionVersion, PersonView, Store};
use serde::Deserialize;

use super::filters::given;
use super::{scoring_definition, scoring_distribution, scoring_model};
use crate::layout::page as layout;
use crate::score_cache::{ScoreSummary, BARS, GRADES};
use crate::session::Viewer;
use crate::{PageError, WebState};

/// People one drill-down list shows, best scores first.
const LIST_SIZE: usize = 100;

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ScoringQuery {
    a: Option<String>,
    b: Option<String>,
    diff: Option<String>,
    backtest: Option<String>,
    grade: Option<String>,
    bar: Option<String>,
    done: Option<String>,
}

/// The query, checked: what the view should show beyond the always-there sections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    pub diff: Option<(i64, i64)>,
    pub backtest: Option<i64>,
    pub grade: Option<usize>,
    pub bar: Option<usize>,
}

fn version_number(field: &str, text: &str) -> Result<i64, PageError> {
    text.trim()
        .trim_start_matches('v')
        .parse()
        .map_err(|_| PageError::BadRequest(format!("{field}: `{text}` is not a version number")))
}

impl ScoringQuery {
    pub(crate) fn selection(&self) -> Result<Selection, PageError> {
        let diff = match (given(&self.diff), given(&self.a), given(&self.b)) {
            (Some(range), _, _) => {
                let (a, b) = range
                    .split_once("..")
                    .ok_or_else(|| PageError::BadRequest(format!("diff: `{range}` should read like 3..5")))?;
                Some((version_number("diff", a)?, version_number("diff", b)?))
            }
            (None, Some(a), Some(b)) => Some((version_number("a", &a)?, version_number("b", &b)?)),
            (None, None, None) => None,
            (None, _, _) => {
                return Err(PageError::BadRequest("a and b: give both versions to compare".into()))
            }
        };
        let backtest = given(&self.backtest).map(|text| version_number("backtest", &text)).transpose()?;
        let grade = given(&self.grade)
            .map(|text| {
                GRADES.iter().position(|g| g.eq_ignore_ascii_case(text.trim())).ok_or_else(|| {
                    PageError::BadRequest(format!("grade: `{text}` is not one of {}", GRADES.join(", ")))
                })
            })
            .transpose()?;
        let bar = given(&self.bar)
            .map(|text| match text.trim().parse::<usize>() {
                Ok(bar) if bar < BARS => Ok(bar),
                _ => Err(PageError::BadRequest(format!("bar: `{text}` is not a bar from 0 to {}", BARS - 1))),
            })
            .transpose()?;
        Ok(Selection { diff, backtest, grade, bar })
    }
}

/// A form post the page refused, shown on the page again: the message, and a draft's text and
/// comment as they were typed, so nothing written is lost.
#[derive(Debug, Clone, Default)]
pub(crate) struct Refusal {
    pub draft: Option<DraftBack>,
    pub approval: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct DraftBack {
    pub error: String,
    pub document: String,
    pub comment: String,
}

/// A model version and its figures (`None` when written by a version we cannot read).
pub(crate) struct ModelRow {
    pub version: i64,
    pub target: String,
    pub rows: i64,
    pub trained_at: Timestamp,
    pub metrics: Option<ModelMetrics>,
}

/// The people behind one bar that the viewer may see.
pub(crate) struct DrillList {
    pub description: String,
    pub total: usize,
    pub hidden: usize,
    pub people: Vec<(PersonView, f64)>,
}

/// Everything one view shows, read in one trip to the blocking pool.
pub(crate) struct ScoringData {
    pub versions: Vec<DefinitionVersion>,
    /// The text a new draft starts from.
    pub active_document: String,
    /// Newest first.
    pub models: Vec<ModelRow>,
    pub summary: Arc<ScoreSummary>,
    pub backtest: Option<(i64, Arc<Comparison>)>,
    pub people: Option<DrillList>,
}

fn load(
    store: &dyn Store,
    state: &WebState,
    viewer: &Viewer,
    selection: Selection,
    now: Timestamp,
) -> Result<ScoringData, PageError> {
    let versions = store.definition_versions()?;
    let (_, active_document) = definitions::active_document(store)?;
    if let Some((a, b)) = selection.diff {
        for number in [a, b] {
            if !versions.iter().any(|v| v.version == number) {
                return Err(PageError::NotFound(format!("definition version {number} does not exist")));
            }
        }
    }
    let models = store
        .model_versions()?
        .into_iter()
        .map(|m| ModelRow {
            version: m.version,
            target: m.target,
            rows: m.row_count,
            trained_at: m.trained_at,
            metrics: serde_json::from_str(&m.metrics_json).ok(),
        })
        .collect();
    let summary = state.scores.summary(store)?;
    let backtest = selection
        .backtest
        .map(|number| state.scores.backtest(store, number, now).map(|comparison| (number, comparison)))
        .transpose()?;
    let people = match (selection.grade, selection.bar) {
        (None, None) => None,
        (grade, bar) => Some(drill(store, state, viewer, &summary, grade, bar)?),
    };
    Ok(ScoringData { versions, active_document, models, summary, backtest, people })
}

/// The people with this grade and in this bar, those the viewer may see, best first.
fn drill(
    store: &dyn Store,
    state: &WebState,
    viewer: &Viewer,
    summary: &ScoreSummary,
    grade: Option<usize>,
    bar: Option<usize>,
) -> Result<DrillList, PageError> {
    let mut chosen: Vec<(PersonId, f64)> = summary
        .people
        .iter()
        .filter(|p| grade.is_none_or(|g| p.grade.map(usize::from) == Some(g)))
        .filter(|p| bar.is_none_or(|b| usize::from(p.bar) == b))
        .map(|p| (p.id, p.value))
        .collect();
    let total = chosen.len();
    let scope = permissions::scope(store, &viewer.user)?;
    if let Scope::OnlyOf(users) = &scope {
        // Owners come from the cached funnel facts, as on the other drill-down lists.
        let allowed: HashSet<String> = store
            .list_users()?
            .into_iter()
            .filter(|user| users.contains(&user.id))
            .map(|user| user.record.email.to_string())
            .collect();
        let facts = state.reports.funnel_facts(store, &FactsFilter::default())?;
        let visible: HashSet<PersonId> = facts
            .people
            .iter()
            .filter(|p| p.owner.as_ref().is_some_and(|owner| allowed.contains(owner)))
            .map(|p| p.person_id)
            .collect();
        chosen.retain(|(id, _)| visible.contains(id));
    }
    chosen.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0 .0.cmp(&b.0 .0)));
    let hidden = total - chosen.len();
    let mut people = Vec::new();
    for (id, value) in chosen.iter().take(LIST_SIZE) {
        if let Some(person) = store.person(*id)? {
            people.push((person, *value));
        }
    }
    let mut parts = Vec::new();
    if let Some(grade) = grade {
        parts.push(format!("grade {}", GRADES[grade]));
    }
    if let Some(bar) = bar {
        parts.push(scoring_distribution::bar_label(summary, bar));
    }
    Ok(DrillList { description: parts.join(", "), total: chosen.len(), hidden, people })
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<ScoringQuery>,
) -> Result<Response, PageError> {
    render(&state, viewer, &query, Refusal::default()).await
}

/// The page, with a refused form's message when there is one (then answered 400, so the
/// refusal is plain to scripts as well as to people).
pub(crate) async fn render(
    state: &WebState,
    viewer: Viewer,
    query: &ScoringQuery,
    refusal: Refusal,
) -> Result<Response, PageError> {
    viewer.require(Action::ReadReports)?;
    let selection = query.selection()?;
    let (for_load, state_for_load) = (viewer.clone(), state.clone());
    let data = state.run(move |store| load(store, &state_for_load, &for_load, selection, Utc::now())).await?;
    let refused = refusal.draft.is_some() || refusal.approval.is_some();
    let content = html! {
        @if let Some(done) = given(&query.done) { p.message role="status" { (done) } }
        @if let Some(error) = &refusal.approval { p.message.error role="alert" #approval-error { (error) } }
        @if refusal.draft.is_some() { p.message.error { "The draft was not saved: " a href="#draft" { "see why below" } "." } }
        (scoring_model::kpis(&data))
        (scoring_definition::section(&viewer, &data, &selection))
        (scoring_model::section(&data))
        (scoring_distribution::section(&data))
        (scoring_definition::draft_section(&viewer, &data, &refusal))
    };
    let html = layout(&viewer, "Scoring", "/scoring", &[], content).into_string();
    let status = if refused { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok((status, Html(html)).into_response())
}
