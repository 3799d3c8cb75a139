//! Calls: a list with filters (rep, account, status, dates, content mentioned) and a search
//! box over titles and participants, and the call page — the transcript with speakers and
//! timestamps beside an audio player kept in sync by `call.js`, the keyword-tracker timeline,
//! and the call's interaction stats beside the team average of the last 90 days (the team
//! page's, over the calls the viewer may see). A rep sees their own calls only; opening another
//! rep's call is refused with 403.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use chrono::NaiveDate;
use maud::{html, Markup};
use rapport_app::calls::{self, CallFilter};
use rapport_app::content_usage;
use rapport_app::permissions::{self, Action, Scope};
use rapport_app::team_stats;
use rapport_conversation::{call_stats, default_trackers, CallStats, MetricAverages, TrackerMatcher};
use rapport_domain::{Call, CallStatus, SpeakerRole, UtteranceRow};
use rapport_store::{CallQuery, Store};
use rapport_transcript::{Role, Transcript, Utterance};
use serde::Deserialize;

use crate::format::{clock, date_time, query_escape};
use crate::layout::page as layout;
use crate::session::Viewer;
use crate::{PageError, WebState};

const PAGE_SIZE: usize = 100;
/// The days of analysed calls the call page's team average is taken over.
const AVERAGE_DAYS: i64 = 90;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CallsQuery {
    rep: Option<String>,
    account: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    /// Calls that mention a content item: its id or title, or an unresolved mention's text.
    content: Option<String>,
}

fn given(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

pub(super) fn parse_date(field: &str, value: &Option<String>) -> Result<Option<NaiveDate>, PageError> {
    given(value)
        .map(|text| {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| PageError::BadRequest(format!("{field}: `{text}` is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// The calls the viewer may see that match the query, newest first.
fn find(store: &dyn Store, viewer: &Viewer, query: &CallsQuery) -> Result<Vec<Call>, PageError> {
    let filter = CallFilter {
        rep: given(&query.rep),
        account: given(&query.account),
        status: given(&query.status),
        limit: Some(rapport_app::leads::MAX_LIST_LIMIT),
        ..Default::default()
    };
    let mut store_query: CallQuery = calls::call_query(store, &filter)?;
    let scope = permissions::scope(store, &viewer.user)?;
    if let Scope::OnlyOf(users) = &scope {
        if users.len() == 1 && store_query.rep.is_none() {
            store_query.rep = Some(users[0]);
        }
    }
    store_query.limit = 0;
    let (from, to) = (parse_date("from", &query.from)?, parse_date("to", &query.to)?);
    let search = given(&query.q).map(|q| q.to_lowercase());
    let mentioning = given(&query.content).map(|c| content_usage::calls_mentioning(store, &c)).transpose()?;
    Ok(store
        .list_calls(&store_query)?
        .into_iter()
        .filter(|call| scope.allows(call.rep_id))
        .filter(|call| from.is_none_or(|from| call.record.started_at.date_naive() >= from))
        .filter(|call| to.is_none_or(|to| call.record.started_at.date_naive() <= to))
        .filter(|call| mentioning.as_ref().is_none_or(|ids| ids.contains(&call.id)))
        .filter(|call| {
            search.as_deref().is_none_or(|q| {
                call.record.title.to_lowercase().contains(q)
                    || call.record.participants.iter().any(|p| p.name.to_lowercase().contains(q))
            })
        })
        .collect())
}

pub(crate) async fn list(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<CallsQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadCalls)?;
    let (for_find, query) = (viewer.clone(), query);
    let (query, found) = state
        .run(move |store| {
            let found = find(store, &for_find, &query)?;
            let users = store.list_users()?;
            Ok((query, (found, users)))
        })
        .await?;
    let (calls, users) = found;
    let rep_name = |call: &Call| {
        call.rep_id
            .and_then(|id| users.iter().find(|u| u.id == id))
            .map_or_else(|| "–".to_owned(), |u| u.record.name.clone())
    };
    let content = html! {
        form.filters method="get" action="/calls" {
            label { "Search" input type="search" name="q" value=[query.q.as_deref()] placeholder="title or participant"; }
            label { "Rep (email)" input type="text" name="rep" value=[query.rep.as_deref()]; }
            label { "Account (domain)" input type="text" name="account" value=[query.account.as_deref()]; }
            label { "Status"
                select name="status" {
                    option value="" { "any" }
                    @for status in ["queued", "transcribing", "ready", "failed"] {
                        option value=(status) selected[query.status.as_deref() == Some(status)] { (status) }
                    }
                }
            }
            label { "Content (id or title)" input type="text" name="content" value=[query.content.as_deref()]; }
            label { "From" input type="date" name="from" value=[query.from.as_deref()]; }
            label { "To" input type="date" name="to" value=[query.to.as_deref()]; }
            button type="submit" { "Apply" }
            a href="/calls" { "Reset" }
        }
        p #calls-summary { (calls.len()) " calls" @if calls.len() > PAGE_SIZE { ", the newest " (PAGE_SIZE) " shown" } "." }
        div.table-wrap {
            table #calls {
                thead { tr { th { "Call" } th { "Started" } th.num { "Length" } th { "Rep" } th { "Status" } } }
                tbody {
                    @for call in calls.iter().take(PAGE_SIZE) {
                        tr {
                            td { a href=(format!("/calls/{}", call.id.0)) { (call.record.title) } }
                            td { (date_time(call.record.started_at)) }
                            td.num { (call.record.duration_ms.map(clock).unwrap_or_default()) }
                            td { (rep_name(call)) }
                            td { span.tag { (status_text(call.status)) } }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(layout(&viewer, "Calls", "/calls", &["filters.js"], content).into_string()))
}

fn status_text(status: CallStatus) -> &'static str {
    match status {
        CallStatus::Queued => "queued",
        CallStatus::Transcribing => "transcribing",
        CallStatus::Ready => "ready",
        CallStatus::Failed => "failed",
    }
}

/// Stored rows back into the analytics model (seconds, roles).
pub fn transcript(rows: &[UtteranceRow], duration_ms: Option<i64>) -> Transcript {
    Transcript {
        utterances: rows
            .iter()
            .map(|row| Utterance {
                speaker: row.speaker.clone(),
                role: match row.role {
                    SpeakerRole::Rep => Role::Rep,
                    SpeakerRole::Customer => Role::Customer,
                    SpeakerRole::Unknown => Role::Unknown,
                },
                channel: row.channel,
                start: row.start_ms as f64 / 1000.0,
                end: row.end_ms as f64 / 1000.0,
                text: row.text.clone(),
                words: Vec::new(),
            })
            .collect(),
        duration_s: duration_ms.map(|ms| ms as f64 / 1000.0),
        source_format: None,
    }
}

struct CallPage {
    details: calls::CallDetails,
    stats: CallStats,
    average: Option<MetricAverages>,
    hits: Vec<rapport_conversation::TrackerHit>,
    smart: super::call_smart::SmartCards,
    rep: Option<String>,
    person: Option<String>,
    account: Option<(String, String)>,
}

/// The team average the call page compares with: `rapport_app::team_stats`'s, over the
/// calls the viewer may see from the last [`AVERAGE_DAYS`] days (read from the stored
/// analyses, so no transcript is re-analysed here). `None` without such calls.
fn averages(
    store: &dyn Store,
    cache: &team_stats::StatCallCache,
    viewer: &Viewer,
) -> Result<Option<MetricAverages>, PageError> {
    let from = chrono::Utc::now() - chrono::Duration::days(AVERAGE_DAYS);
    let average = team_stats::team_average(store, cache, &viewer.user, from)?;
    Ok((average.calls > 0).then_some(average))
}

fn load(
    store: &dyn Store,
    cache: &team_stats::StatCallCache,
    viewer: &Viewer,
    id: i64,
) -> Result<CallPage, PageError> {
    let details = calls::show(store, id)?;
    permissions::check_call(store, &viewer.user, &details.call)?;
    let transcript = transcript(&details.utterances, details.call.record.duration_ms);
    let stats = call_stats(&transcript);
    let hits = TrackerMatcher::new(default_trackers()).map(|m| m.find(&transcript)).unwrap_or_default();
    let rep = details.call.rep_id.map(|id| store.user(id)).transpose()?.flatten().map(|u| u.record.name);
    let person = details
        .call
        .person_id
        .map(|id| store.person(id))
        .transpose()?
        .flatten()
        .map(|p| p.person.record.email.to_string());
    let account = details
        .call
        .record
        .account_domain
        .as_deref()
        .map(|domain| store.account_by_domain(domain))
        .transpose()?
        .flatten()
        .and_then(|a| a.record.domain.clone().map(|domain| (domain, a.record.name.clone())));
    let average = averages(store, cache, viewer)?;
    let smart = super::call_smart::load(store, details.call.id, &details.utterances)?;
    Ok(CallPage { details, stats, average, hits, smart, rep, person, account })
}

pub(crate) async fn show(
    viewer: Viewer,
    State(state): State<WebState>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadCalls)?;
    let id: i64 = id.parse().map_err(|_| PageError::NotFound(format!("no call `{id}`")))?;
    let for_load = viewer.clone();
    let cache = std::sync::Arc::clone(&state.reports);
    let page = state.run(move |store| load(store, &cache.team_stats, &for_load, id)).await?;
    let call = &page.details.call;
    let content = html! {
        p.muted {
            (date_time(call.record.started_at))
            @if let Some(ms) = call.record.duration_ms { " · " (clock(ms)) }
            @if let Some(rep) = &page.rep { " · rep " (rep) }
            @if let Some(person) = &page.person { " · with " a href=(format!("/people/{}", query_escape(person))) { (person) } }
            @if let Some((domain, name)) = &page.account { " at " a href=(format!("/accounts/{}", query_escape(domain))) { (name) } }
            " · " span.tag { (status_text(call.status)) }
        }
        @if let Some(job) = &page.details.job {
            @if call.status != CallStatus::Ready {
                p { "Transcription: " progress max="1" value=(job.progress) {} }
            }
        }
        @if call.record.audio_key.is_some() {
            audio #player controls preload="metadata" src=(format!("/api/calls/{}/audio", call.id.0)) {}
        } @else {
            p.muted { "No recording was uploaded for this call; the transcript came as a file." }
        }
        div.grid {
            section.card {
                h2 { "Transcript" }
                (transcript_list(&page.details.utterances))
            }
            div {
                section.card { h2 { "Stats" } (stats_table(&page.stats, page.average.as_ref())) }
                section.card { h2 { "Trackers" } (tracker_timeline(&page.hits)) }
                (super::call_smart::cards(&page.smart))
            }
        }
    };
    let title = call.record.title.clone();
    Ok(Html(layout(&viewer, &title, "/calls", &["call.js"], content).into_string()))
}

fn transcript_list(rows: &[UtteranceRow]) -> Markup {
    html! {
        @if rows.is_empty() {
            p.muted { "No transcript yet." }
        } @else {
            ol.transcript #transcript {
                @for row in rows {
                    li class=(match row.role { SpeakerRole::Rep => "rep", SpeakerRole::Customer => "customer", SpeakerRole::Unknown => "unknown" })
                        data-start=(format!("{:.3}", row.start_ms as f64 / 1000.0))
                        data-end=(format!("{:.3}", row.end_ms as f64 / 1000.0)) {
                        span.at { (clock(row.start_ms)) }
                        span.speaker { (row.speaker.as_deref().unwrap_or("Speaker")) }
                        span.text { (row.text) }
                    }
                }
            }
        }
    }
}

fn stats_table(stats: &CallStats, average: Option<&MetricAverages>) -> Markup {
    let pct = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{:.0}%", v * 100.0));
    let secs = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1} s"));
    let num = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"));
    let rows: Vec<(&str, String, String)> = vec![
        ("Talk ratio (rep share)", pct(stats.talk_ratio), pct(average.and_then(|a| a.talk_ratio))),
        (
            "Longest monologue",
            secs(Some(stats.longest_monologue_s)),
            secs(average.and_then(|a| a.longest_monologue_s)),
        ),
        ("Interactivity (0–10)", num(Some(stats.interactivity)), num(average.and_then(|a| a.interactivity))),
        ("Patience", secs(stats.patience_s), secs(average.and_then(|a| a.patience_s))),
        (
            "Questions per hour",
            num(stats.question_rate_per_hour),
            num(average.and_then(|a| a.question_rate_per_hour)),
        ),
    ];
    html! {
        table #stats {
            thead { tr { th { "" } th.num { "This call" } th.num { a href="/team" { "Team average" } ", " (AVERAGE_DAYS) " days (" (average.map_or(0, |a| a.calls)) " calls)" } } }
            tbody { @for (name, this, avg) in rows { tr { td { (name) } td.num { (this) } td.num { (avg) } } } }
        }
        p.muted { "Top performers talk about 43% of the time; results fall past 65%." }
    }
}

fn tracker_timeline(hits: &[rapport_conversation::TrackerHit]) -> Markup {
    html! {
        @if hits.is_empty() {
            p.muted { "No tracker matched in this call." }
        } @else {
            ol.trackers {
                @for hit in hits {
                    li { span.at { (clock((hit.time_s * 1000.0) as i64)) } " " span.tag { (hit.tracker) } " " q { (hit.matched) } }
                }
            }
        }
    }
}
