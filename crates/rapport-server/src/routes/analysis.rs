//! Conversation analytics over stored calls: transcript search, trackers as data (changes
//! queue a re-analysis of the stored calls) and the voice-of-the-customer report.

use axum::extract::State;
use axum::response::Json;
use axum::routing::on;
use chrono::Utc;
use rapport_app::permissions::Action;
use rapport_app::search::{parse_bound, search, SearchRequest};
use rapport_app::voc::{voc_report, Segment};
use rapport_app::{trackers, AppError};
use rapport_store::analysis::AnalysisFilter;
use serde::Deserialize;

use super::params::query;
use super::{reply, Access, Content, Endpoint, HttpMethod, Param, ParamIn, ParamKind};
use crate::auth::{Allowed, ManageTrackers, ReadCalls, ReadReports};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

type JsonResult = Result<Json<serde_json::Value>, ApiError>;

const NAME: Param = Param {
    name: "name",
    location: ParamIn::Path,
    required: true,
    kind: ParamKind::Text,
    description: "The tracker's name.",
};

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/search",
        operation_id: "searchTranscripts",
        tag: "calls",
        summary: "Full-text search over stored transcripts",
        description: "Utterances containing every word of `q` (and every \"quoted phrase\", in order), best matches \
                      first, with the call, speaker, side, time and a snippet. Everything in `q` but letters and \
                      digits separates words, so no query is ever an operator or an error; a `q` without words \
                      is refused with 400. The snippet is plain text (the stored, PII-redacted transcript); \
                      `highlights` are the matches as character offsets into it, end exclusive, so clients \
                      highlight without trusting any markup. Sales reps find only their own calls. Hits are the best \
                      matches among the newest 2,000 that pass the filters (newest stored call first), so a \
                      word said in a million utterances answers as fast as a rare one; narrow by date, rep or \
                      account to reach older calls, or widen `rank_window`.",
        access: Access::Allowed(Action::ReadCalls),
        params: &[
            Param {
                name: "q",
                location: ParamIn::Query,
                required: true,
                kind: ParamKind::Text,
                description: "Words and \"quoted phrases\".",
            },
            query("rep", ParamKind::Email, "Only calls made by the user with this email."),
            query("account", ParamKind::Text, "Only calls with the account with this domain."),
            query("from", ParamKind::Date, "Only calls started at or after this date."),
            query("to", ParamKind::Date, "Only calls started before this date."),
            query("tracker", ParamKind::Text, "Only calls with a hit of the tracker with this name."),
            query("side", ParamKind::OneOf(&["rep", "customer"]), "Only what this side said."),
            query(
                "outcome",
                ParamKind::OneOf(&["won", "lost", "open"]),
                "Only calls whose deal has this outcome (calls without a deal are open).",
            ),
            query("limit", ParamKind::Integer, "Hits to return, 1 to 200; default 20."),
            query(
                "rank_window",
                ParamKind::Integer,
                "How many of the newest matches are ranked: from `limit` to 100000; default 2000. Wider \
                 reaches older calls without a filter, and takes longer.",
            ),
        ],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("SearchHitList"),
            description: "The matching utterances.",
        },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, search_transcripts),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/trackers",
        operation_id: "listTrackers",
        tag: "calls",
        summary: "The workspace's trackers",
        description: "Keyword trackers (phrases) and smart trackers, with the set's version, which every change \
                      moves; the product's defaults are stored on first use.",
        access: Access::Allowed(Action::ReadCalls),
        params: &[],
        body: None,
        status: 200,
        reply: Content { media_type: "application/json", schema: Some("TrackerSet"), description: "The trackers." },
        errors: &[],
        handler: |method| on(method, list_trackers),
    },
    Endpoint {
        method: HttpMethod::Put,
        path: "/api/trackers/{name}",
        operation_id: "putTracker",
        tag: "calls",
        summary: "Add or replace a keyword tracker",
        description: "The body is the tracker: `phrases`, and optionally `exclusions`, `word_forms`, `side` (rep, \
                      customer, anyone), `only_questions`, `first_minutes` or `last_minutes`. Stored calls are \
                      re-analysed in the background (an `analyze` job). Errors name the field at fault.",
        access: Access::Allowed(Action::ManageTrackers),
        params: &[NAME],
        body: Some(Content {
            media_type: "application/json",
            schema: Some("TrackerBody"),
            description: "The keyword tracker.",
        }),
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("StoredTracker"),
            description: "The stored tracker with its version.",
        },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, put_tracker),
    },
    Endpoint {
        method: HttpMethod::Delete,
        path: "/api/trackers/{name}",
        operation_id: "removeTracker",
        tag: "calls",
        summary: "Remove a tracker and its hits",
        description: "Stored calls are re-analysed in the background.",
        access: Access::Allowed(Action::ManageTrackers),
        params: &[NAME],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("TrackerSet"),
            description: "The trackers left.",
        },
        errors: &[ErrorCode::NotFound],
        handler: |method| on(method, remove_tracker),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/reports/voc",
        operation_id: "vocReport",
        tag: "reports",
        summary: "Voice of the customer: what buyers say, by segment and won vs lost",
        description: "Per tracker, the share of analysed calls in which the customer side mentions it: overall, \
                      by the `by` segment, on won vs lost deals with lift (won share ÷ lost share) and the \
                      two-sided p-value of a pooled two-proportion z-test, by month, with up to three quotes \
                      (call, utterance and time). Quotes are plain text.",
        access: Access::Allowed(Action::ReadReports),
        params: &[
            query(
                "by",
                ParamKind::OneOf(&["industry", "size_band", "source", "campaign"]),
                "Break each share down by this segment.",
            ),
            query("from", ParamKind::Date, "Only calls started at or after this date."),
            query("to", ParamKind::Date, "Only calls started before this date."),
        ],
        body: None,
        status: 200,
        reply: Content { media_type: "application/json", schema: Some("VocReport"), description: "The report." },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, voc),
    },
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    q: Option<String>,
    rep: Option<String>,
    account: Option<String>,
    from: Option<String>,
    to: Option<String>,
    tracker: Option<String>,
    side: Option<String>,
    outcome: Option<String>,
    limit: Option<u32>,
    rank_window: Option<u32>,
}

async fn search_transcripts(
    allowed: Allowed<ReadCalls>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> JsonResult {
    let request = SearchRequest {
        q: params.q.unwrap_or_default(),
        rep: params.rep,
        account: params.account,
        from: params.from,
        to: params.to,
        tracker: params.tracker,
        side: params.side,
        outcome: params.outcome,
        limit: params.limit,
        rank_window: params.rank_window,
    };
    let user = allowed.user;
    let hits = state.run(move |store| search(store, Some(&user), &request)).await.map_err(|error| {
        // A query without words is a malformed request (400), not an unacceptable value.
        if error.field.as_deref() == Some("q") {
            ApiError { code: ErrorCode::InvalidQuery, ..error }
        } else {
            error
        }
    })?;
    reply(&hits)
}

async fn list_trackers(_: Allowed<ReadCalls>, State(state): State<AppState>) -> JsonResult {
    reply(&state.run(move |store| trackers::list(store, Utc::now())).await?)
}

async fn put_tracker(
    allowed: Allowed<ManageTrackers>,
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> JsonResult {
    let bytes = serde_json::to_vec(&body).map_err(ApiError::internal)?;
    let tracker = trackers::parse_tracker_json(&name, &bytes)?;
    let stored = state
        .run(move |store| {
            trackers::put(store, std::slice::from_ref(&tracker), Some(&allowed.user), Utc::now())?
                .pop()
                .ok_or_else(|| AppError::invalid("name", "nothing was stored"))
        })
        .await?;
    reply(&stored)
}

async fn remove_tracker(
    allowed: Allowed<ManageTrackers>,
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> JsonResult {
    let set = state
        .run(move |store| {
            trackers::remove(store, &name, Some(&allowed.user), Utc::now())?;
            trackers::list(store, Utc::now())
        })
        .await?;
    reply(&set)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocParams {
    by: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

async fn voc(
    _: Allowed<ReadReports>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<VocParams>,
) -> JsonResult {
    let by = params.by.as_deref().map(Segment::parse).transpose()?;
    let filter = AnalysisFilter {
        from: params.from.as_deref().map(|t| parse_bound("from", t)).transpose()?,
        to: params.to.as_deref().map(|t| parse_bound("to", t)).transpose()?,
    };
    reply(&state.run(move |store| voc_report(store, &filter, by)).await?)
}
