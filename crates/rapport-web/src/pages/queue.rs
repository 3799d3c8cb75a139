//! The sales queue: leads handed to sales and waiting for a decision, ranked by their score
//! (the model's probability, else the lead definition's points; unscored leads after, oldest
//! handoff first, since the SLA clock runs from the handoff), each with its grade and the
//! reasons behind it, its time left or overdue, the note marketing handed it over with, and
//! one-click accept or reject-with-reason forms. A rep sees their own
//! leads, a team manager the team's. Each decision is a stage event with the user as actor and
//! `web` as source, plus an audit entry.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use maud::html;
use rapport_app::permissions::{self, Action, Scope};
use rapport_app::scoring::refresh::Reasons;
use rapport_app::{audit, leads, ChangeOptions};
use rapport_domain::{Actor, EventSource, Stage};
use rapport_store::{PeopleQuery, PersonScore, PersonView, ReasonCodeEntry, Store};
use serde::Deserialize;

use crate::format::{date_time, query_escape};
use crate::layout::{csrf_field, page as layout};
use crate::session::{Posted, Viewer};
use crate::{PageError, WebState};

/// The most leads one queue page shows; the oldest handoffs come first.
const QUEUE_SIZE: u32 = 200;

struct QueueRow {
    person: PersonView,
    handoff_note: Option<String>,
    score: Option<PersonScore>,
    /// The score's reasons as sentences: the model's first, then the definition's rules.
    reasons: Vec<String>,
}

/// Reasons shown per lead; `rapport score explain` lists them all.
const REASONS_SHOWN: usize = 3;

/// The stored reasons as sentences (a row written by another version reads as none).
fn reason_texts(score: &PersonScore) -> Vec<String> {
    let reasons: Reasons = serde_json::from_str(&score.reasons_json).unwrap_or_default();
    reasons
        .model
        .into_iter()
        .map(|reason| reason.text)
        .chain(reasons.rules.into_iter().map(|reason| reason.text))
        .take(REASONS_SHOWN)
        .collect()
}

/// Higher first: the probability when a model scored the lead, else the definition's total.
fn rank(score: &Option<PersonScore>) -> (bool, f64) {
    match score {
        Some(score) => (true, score.probability.unwrap_or(score.total / 1000.0)),
        None => (false, 0.0),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    done: Option<String>,
}

fn sla_text(since: chrono::DateTime<Utc>, sla_hours: u32) -> (bool, String) {
    let deadline = since + Duration::hours(i64::from(sla_hours));
    let left = deadline - Utc::now();
    if left < Duration::zero() {
        (true, format!("overdue by {}", span(-left)))
    } else {
        (false, format!("{} left", span(left)))
    }
}

fn span(duration: Duration) -> String {
    if duration.num_hours() >= 48 {
        format!("{} days", duration.num_days())
    } else if duration.num_hours() >= 1 {
        format!("{} h", duration.num_hours())
    } else {
        format!("{} min", duration.num_minutes().max(0))
    }
}

fn queue(store: &dyn Store, viewer: &Viewer) -> Result<(Vec<QueueRow>, Vec<ReasonCodeEntry>), PageError> {
    let scope = permissions::scope(store, &viewer.user)?;
    let owner = match &scope {
        Scope::OnlyOf(users) if users.len() == 1 => Some(users[0]),
        _ => None,
    };
    let mut people =
        store.list_people(&PeopleQuery { stage: Some(Stage::Mql), owner, limit: QUEUE_SIZE, offset: 0 })?;
    if let Scope::OnlyOf(users) = &scope {
        let emails: Vec<String> = store
            .list_users()?
            .into_iter()
            .filter(|user| users.contains(&user.id))
            .map(|user| user.record.email.to_string())
            .collect();
        people.retain(|person| person.owner_email.as_ref().is_some_and(|owner| emails.contains(owner)));
    }
    people.sort_by_key(|person| person.stage_since);
    let mut rows = Vec::with_capacity(people.len());
    for person in people {
        let history = store.stage_history(person.person.id)?;
        let handoff_note =
            history.iter().rev().find(|event| event.to == Stage::Mql).and_then(|event| event.note.clone());
        let score = store.person_score(person.person.id)?;
        let reasons = score.as_ref().map(reason_texts).unwrap_or_default();
        rows.push(QueueRow { person, handoff_note, score, reasons });
    }
    // Scored leads first, best first; the sort is stable, so ties keep the oldest handoff first.
    rows.sort_by(|a, b| {
        let (a, b) = (rank(&a.score), rank(&b.score));
        b.0.cmp(&a.0).then(b.1.total_cmp(&a.1))
    });
    Ok((rows, store.rejection_reasons()?))
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<QueueQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ChangeLead)?;
    let for_queue = viewer.clone();
    let (rows, reasons) = state.run(move |store| queue(store, &for_queue)).await?;
    let sla_hours = state.sla_hours;
    let content = html! {
        @if let Some(done) = query.done.as_deref() {
            p.message role="status" { (done) }
        }
        p.muted { (rows.len()) " leads wait for a decision, best score first. Sales has " (sla_hours) " hours from the handoff to respond." }
        div.table-wrap {
            table #queue {
                thead { tr { th { "Lead" } th { "Score" } th { "Account" } th { "Source" } th { "Handed over" } th { "SLA" } th { "Why" } th { "Decision" } } }
                tbody {
                    @for row in &rows {
                        @let record = &row.person.person.record;
                        @let email = record.email.as_str();
                        tr data-email=(email) {
                            td { a href=(format!("/people/{}", query_escape(email))) { (email) } }
                            td.score {
                                @if let Some(score) = &row.score {
                                    strong { (score.grade) }
                                    @if let Some(probability) = score.probability {
                                        " " (format!("{:.0}%", probability * 100.0))
                                    } @else {
                                        " " (format!("{:.0} pts", score.total))
                                    }
                                } @else { "–" }
                            }
                            td { (row.person.account.as_ref().map_or("–", |a| a.record.name.as_str())) }
                            td { (record.source.as_deref().unwrap_or("–")) }
                            td { (row.person.stage_since.map(date_time).unwrap_or_default()) }
                            td {
                                @if let Some(since) = row.person.stage_since {
                                    @let (overdue, text) = sla_text(since, sla_hours);
                                    span class=(if overdue { "overdue" } else { "due" }) { (text) }
                                }
                            }
                            td {
                                @if let Some(note) = &row.handoff_note { p.note { (note) } }
                                @if !row.reasons.is_empty() {
                                    ul.reasons { @for reason in &row.reasons { li { (reason) } } }
                                }
                            }
                            td {
                                form.inline.accept method="post" action="/queue/accept" {
                                    (csrf_field(&viewer))
                                    input type="hidden" name="email" value=(email);
                                    button type="submit" { "Accept" }
                                }
                                form.inline.reject method="post" action="/queue/reject" {
                                    (csrf_field(&viewer))
                                    input type="hidden" name="email" value=(email);
                                    select name="reason" required aria-label="Reason" {
                                        option value="" { "Reason…" }
                                        @for reason in &reasons {
                                            option value=(reason.code) { (reason.label) }
                                        }
                                    }
                                    input type="text" name="note" placeholder="Note (optional)" aria-label="Note";
                                    button.danger type="submit" { "Reject" }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(layout(&viewer, "Sales queue", "/queue", &[], content).into_string()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct Decision {
    #[serde(default)]
    email: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

fn decide(
    store: &dyn Store,
    viewer: &Viewer,
    decision: &Decision,
    reject: bool,
) -> Result<String, PageError> {
    let email = leads::parse_email("email", &decision.email)?;
    let person =
        store.person_by_email(&email)?.ok_or_else(|| PageError::NotFound(format!("no person `{email}`")))?;
    permissions::check_person(store, &viewer.user, &person)?;
    let note = Some(decision.note.trim().to_owned()).filter(|note| !note.is_empty());
    let options = ChangeOptions {
        actor: Actor::User { id: viewer.user.id },
        source: EventSource::Web,
        note: note.clone(),
        force: false,
        at: Utc::now(),
    };
    let (action, details) = if reject {
        if decision.reason.trim().is_empty() {
            return Err(PageError::BadRequest("reason: choose why the lead is rejected".into()));
        }
        leads::reject(store, email.as_str(), &decision.reason, &options)?;
        (
            "stage.reject",
            format!(
                "rejected: {}{}",
                decision.reason.trim(),
                note.map(|n| format!(" ({n})")).unwrap_or_default()
            ),
        )
    } else {
        leads::accept(store, email.as_str(), &options)?;
        ("stage.accept", "accepted".to_owned())
    };
    audit::record(store, &audit::entry(Some(&viewer.user), action, email.as_str(), &details, options.at))?;
    Ok(format!("{email} {}", if reject { "rejected" } else { "accepted" }))
}

async fn decision(state: WebState, posted: Posted<Decision>, reject: bool) -> Result<Response, PageError> {
    let Posted { viewer, form } = posted;
    let done = state.run(move |store| decide(store, &viewer, &form, reject)).await?;
    Ok(Redirect::to(&format!("/queue?done={}", query_escape(&done))).into_response())
}

pub(crate) async fn accept(
    State(state): State<WebState>,
    posted: Posted<Decision>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ChangeLead)?;
    decision(state, posted, false).await
}

pub(crate) async fn reject(
    State(state): State<WebState>,
    posted: Posted<Decision>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ChangeLead)?;
    decision(state, posted, true).await
}
