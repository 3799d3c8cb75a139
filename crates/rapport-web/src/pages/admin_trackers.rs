//! Keyword trackers as data, edited in the browser: the list (phrases, exclusions, side,
//! question-only, window, default or not), a form that takes a tracker's `[[tracker]]` TOML
//! (errors name the line or field and the text is kept), removal, and a box to try trackers on
//! a few pasted lines. Every change goes through `rapport_app::trackers`, which writes the
//! audit entry and queues the re-analysis of the stored calls.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{html, Markup};
use rapport_app::permissions::Action;
use rapport_app::trackers;
use rapport_conversation::{default_trackers, SideFilter, Tracker};
use rapport_domain::{SpeakerRole, UtteranceRow};
use serde::Deserialize;

use crate::format::query_escape;
use crate::layout::{csrf_field, page as layout};
use crate::session::{Posted, Viewer};
use crate::{PageError, WebState};

/// What the form shows besides the list: the text being edited, an error, test results.
#[derive(Debug, Default)]
struct FormState {
    toml: String,
    transcript: String,
    error: Option<String>,
    done: Option<String>,
    hits: Option<Vec<rapport_conversation::TrackerHit>>,
}

const EXAMPLE: &str = "[[tracker]]\nname = \"Security review\"\nphrases = [\"security review\", \"SOC 2\", \"pen test\"]\nexclusions = [\"no security review\"]\nword_forms = true\nside = \"customer\"   # rep, customer or anyone\nonly_questions = false\n# first_minutes = 10  (or last_minutes)\n";

/// The stored keyword trackers, parsed, with whether each is one of the product's defaults
/// (unchanged or changed since).
fn load(store: &dyn rapport_store::Store) -> Result<Vec<(Tracker, &'static str)>, PageError> {
    let set = trackers::list(store, Utc::now())?;
    let defaults: BTreeMap<String, Tracker> =
        default_trackers().into_iter().map(|t| (t.name.clone(), t)).collect();
    Ok(trackers::keyword_trackers(&set)?
        .into_iter()
        .map(|tracker| {
            let origin = match defaults.get(&tracker.name) {
                Some(default) if *default == tracker => "default",
                Some(_) => "default, changed",
                None => "added",
            };
            (tracker, origin)
        })
        .collect())
}

fn side(side: SideFilter) -> &'static str {
    match side {
        SideFilter::Rep => "rep",
        SideFilter::Customer => "customer",
        SideFilter::Anyone => "anyone",
    }
}

fn window(tracker: &Tracker) -> String {
    match (tracker.first_minutes, tracker.last_minutes) {
        (Some(first), _) => format!("first {first} min"),
        (_, Some(last)) => format!("last {last} min"),
        _ => "whole call".to_owned(),
    }
}

fn render(viewer: &Viewer, list: &[(Tracker, &'static str)], state: &FormState) -> Markup {
    let content = html! {
        @if let Some(done) = &state.done { p.message role="status" { (done) } }
        p.muted { "Changing or removing a tracker re-analyses the stored calls in the background. Phrases match whole words, ignoring case and punctuation." }
        div.table-wrap {
            table #trackers {
                thead { tr {
                    th { "Tracker" } th { "Phrases" } th { "Exclusions" } th { "Said by" } th { "Questions only" }
                    th { "Part of call" } th { "Origin" } th { "" }
                } }
                tbody {
                    @for (tracker, origin) in list {
                        tr {
                            th scope="row" { (tracker.name) }
                            td { (tracker.phrases.join(", ")) @if tracker.word_forms { " " span.tag { "word forms" } } }
                            td { (tracker.exclusions.join(", ")) }
                            td { (side(tracker.side)) }
                            td { (if tracker.only_questions { "yes" } else { "no" }) }
                            td { (window(tracker)) }
                            td { (origin) }
                            td {
                                a href=(format!("/admin/trackers?edit={}#edit", query_escape(&tracker.name))) { "Edit" }
                                form.inline method="post" action="/admin/trackers/remove" {
                                    (csrf_field(viewer))
                                    input type="hidden" name="name" value=(tracker.name);
                                    button.secondary type="submit" { "Remove" }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card #edit {
            h2 { "Add or change a tracker" }
            p.muted { "One or more " code { "[[tracker]]" } " tables; a tracker with the name of an existing one replaces it. "
                "To try trackers first, paste a few lines below (each " code { "Rep: …" } " or " code { "Customer: …" } ") and press "
                em { "Try" } ": the TOML above is used when given, else the stored trackers; nothing is saved." }
            @if let Some(error) = &state.error { p.error #tracker-error role="alert" { (error) } }
            form.stack method="post" action="/admin/trackers" {
                (csrf_field(viewer))
                label { "Tracker (TOML)"
                    textarea name="toml" rows="12" spellcheck="false" placeholder=(EXAMPLE) { (state.toml) }
                }
                label { "Lines to try (optional)"
                    textarea name="transcript" rows="5" placeholder="Customer: Do you have SOC 2?" { (state.transcript) }
                }
                div.actions {
                    button type="submit" { "Save tracker" }
                    " "
                    button.secondary type="submit" formaction="/admin/trackers/test" { "Try" }
                }
            }
            @if let Some(hits) = &state.hits {
                h3 { "Hits" }
                @if hits.is_empty() { p #test-hits { "No tracker matched." } }
                @else {
                    ol.trackers #test-hits {
                        @for hit in hits {
                            li { span.at { "line " (hit.utterance + 1) } " " span.tag { (hit.tracker) } " " q { (hit.matched) } }
                        }
                    }
                }
            }
        }
    };
    layout(viewer, "Trackers", "/admin", &[], content)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrackersQuery {
    edit: Option<String>,
    done: Option<String>,
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<TrackersQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ManageTrackers)?;
    let list = state.run(load).await?;
    let toml = query
        .edit
        .as_deref()
        .and_then(|name| list.iter().find(|(t, _)| t.name == name))
        .map(|(tracker, _)| trackers::trackers_toml(std::slice::from_ref(tracker)))
        .unwrap_or_default();
    let form = FormState { toml, done: query.done, ..FormState::default() };
    Ok(Html(render(&viewer, &list, &form).into_string()))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrackerForm {
    #[serde(default)]
    toml: String,
    #[serde(default)]
    transcript: String,
    #[serde(default)]
    name: String,
}

/// The page again with the error above the form and the text kept, as 400.
async fn refused(
    state: &WebState,
    viewer: &Viewer,
    form: TrackerForm,
    error: String,
) -> Result<Response, PageError> {
    let list = state.run(load).await?;
    let form = FormState {
        toml: form.toml,
        transcript: form.transcript,
        error: Some(error),
        ..FormState::default()
    };
    Ok((StatusCode::BAD_REQUEST, Html(render(viewer, &list, &form).into_string())).into_response())
}

pub(crate) async fn save(
    State(state): State<WebState>,
    posted: Posted<TrackerForm>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ManageTrackers)?;
    let Posted { viewer, form } = posted;
    let parsed = match trackers::parse_tracker_file("tracker", &form.toml) {
        Ok(parsed) => parsed,
        Err(error) => return refused(&state, &viewer, form, error.to_string()).await,
    };
    let user = viewer.user.clone();
    let stored = state.run(move |store| Ok(trackers::put(store, &parsed, Some(&user), Utc::now())?)).await?;
    let names: Vec<&str> = stored.iter().map(|t| t.tracker.name.as_str()).collect();
    let done = format!("Saved {}; stored calls are being re-analysed.", names.join(", "));
    Ok(Redirect::to(&format!("/admin/trackers?done={}", query_escape(&done))).into_response())
}

pub(crate) async fn remove(
    State(state): State<WebState>,
    posted: Posted<TrackerForm>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ManageTrackers)?;
    let Posted { viewer, form } = posted;
    let name = form.name.trim().to_owned();
    if name.is_empty() {
        return Err(PageError::BadRequest("name: say which tracker to remove".into()));
    }
    let user = viewer.user.clone();
    let removed = name.clone();
    state.run(move |store| Ok(trackers::remove(store, &removed, Some(&user), Utc::now())?)).await?;
    let done = format!("Removed {name}; stored calls are being re-analysed.");
    Ok(Redirect::to(&format!("/admin/trackers?done={}", query_escape(&done))).into_response())
}

/// Pasted lines as utterances ten seconds apart; `Rep:` and `Customer:` set the side.
fn pasted(text: &str) -> Vec<UtteranceRow> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(index, line)| {
            let (role, said) = match line.split_once(':') {
                Some((who, said)) if who.trim().eq_ignore_ascii_case("rep") => (SpeakerRole::Rep, said),
                Some((who, said)) if who.trim().eq_ignore_ascii_case("customer") => {
                    (SpeakerRole::Customer, said)
                }
                _ => (SpeakerRole::Unknown, line),
            };
            let start_ms = index as i64 * 10_000;
            UtteranceRow {
                index: index as u32,
                speaker: None,
                role,
                channel: None,
                start_ms,
                end_ms: start_ms + 9_000,
                text: said.trim().to_owned(),
                words: Vec::new(),
            }
        })
        .collect()
}

pub(crate) async fn test(
    State(state): State<WebState>,
    posted: Posted<TrackerForm>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ManageTrackers)?;
    let Posted { viewer, form } = posted;
    let rows = pasted(&form.transcript);
    if rows.is_empty() {
        return refused(&state, &viewer, form, "transcript: paste at least one line to try".into()).await;
    }
    let given = if form.toml.trim().is_empty() {
        None
    } else {
        match trackers::parse_tracker_file("tracker", &form.toml) {
            Ok(parsed) => Some(parsed),
            Err(error) => return refused(&state, &viewer, form, error.to_string()).await,
        }
    };
    let list = state.run(load).await?;
    let chosen = given.unwrap_or_else(|| list.iter().map(|(t, _)| t.clone()).collect());
    let hits = trackers::test(chosen, &rows)?;
    let form =
        FormState { toml: form.toml, transcript: form.transcript, hits: Some(hits), ..FormState::default() };
    Ok(Html(render(&viewer, &list, &form).into_string()).into_response())
}
