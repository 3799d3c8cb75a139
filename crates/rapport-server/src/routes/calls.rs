//! Calls and their transcription jobs: add a call (a transcript or a recording, the request
//! body), list and show calls and jobs, and play a call's recording with HTTP range requests.

use std::ops::Range;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::on;
use chrono::Utc;
use rapport_app::calls::{self, CallFilter, JobFilter, NewCall};
use rapport_app::permissions::{self, Action};
use rapport_app::speech::ChannelRoles;
use rapport_app::AppError;
use rapport_domain::CallId;
use rapport_media::{MediaError, MediaStore};
use serde::Deserialize;
use tokio::io::AsyncReadExt;

use super::files::receive;
use super::params::query;
use super::{reply, Access, Content, Endpoint, HttpMethod, Param, ParamIn, ParamKind};
use crate::auth::{AddCalls, Allowed, ReadCalls};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

type JsonResult = Result<Json<serde_json::Value>, ApiError>;

/// Bytes per chunk of a streamed recording.
const AUDIO_CHUNK: u64 = 256 * 1024;

const CALL_STATUSES: &[&str] = &["queued", "transcribing", "ready", "failed"];
const JOB_STATUSES: &[&str] = &["queued", "running", "succeeded", "failed"];

const ID: Param = Param {
    name: "id",
    location: ParamIn::Path,
    required: true,
    kind: ParamKind::Integer,
    description: "The id.",
};
const LIMIT: Param = query("limit", ParamKind::Integer, "Records per page, 1 to 500; default 50.");
const OFFSET: Param = query("offset", ParamKind::Integer, "Records to skip; default 0.");

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/calls",
        operation_id: "listCalls",
        tag: "calls",
        summary: "List calls, newest first",
        description: "A page of calls, optionally only those of one rep, person, account or status.",
        access: Access::Allowed(Action::ReadCalls),
        params: &[
            query("rep", ParamKind::Email, "Only calls made by the user with this email."),
            query("person", ParamKind::Email, "Only calls with the person with this email."),
            query("account", ParamKind::Text, "Only calls with the account with this domain."),
            query("status", ParamKind::OneOf(CALL_STATUSES), "Only calls in this status."),
            LIMIT,
            OFFSET,
        ],
        body: None,
        status: 200,
        reply: Content { media_type: "application/json", schema: Some("CallList"), description: "The calls." },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, list),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/calls",
        operation_id: "addCall",
        tag: "calls",
        summary: "Add a call from a transcript or a recording (the request body)",
        description: "A transcript (WebVTT, SRT, JSON, … by the file name's extension) becomes a `ready` call at \
                      once; a recording (WAV, MP3, FLAC, Ogg, M4A, …) is stored and a `transcribe` job is queued, \
                      whose `progress` `GET /api/jobs/{id}` shows. A transcript that cannot be read is refused \
                      with 422 naming the file and the line or JSON path at fault.",
        access: Access::Allowed(Action::AddCalls),
        params: &[
            Param {
                name: "file_name",
                location: ParamIn::Query,
                required: true,
                kind: ParamKind::Text,
                description: "The file's name: its extension tells the format.",
            },
            query("title", ParamKind::Text, "Default: the file name without its extension."),
            query("person", ParamKind::Email, "The customer-side contact."),
            query("account", ParamKind::Text, "The account's domain; default: the person's account."),
            query("opportunity", ParamKind::Text, "The opportunity's external id."),
            query(
                "rep",
                ParamKind::Text,
                "The company's side, comma-separated names or emails; the first email is the call's rep.",
            ),
            query("started_at", ParamKind::Date, "When the call started; default: now."),
            query(
                "channels",
                ParamKind::Text,
                "One role per audio channel, `rep,customer`; default: decided from the audio.",
            ),
        ],
        body: Some(Content {
            media_type: "application/octet-stream",
            schema: None,
            description: "The transcript or recording file.",
        }),
        status: 201,
        reply: Content {
            media_type: "application/json",
            schema: Some("AddedCall"),
            description: "The call, with its job when it is a recording.",
        },
        errors: &[
            ErrorCode::NotFound,
            ErrorCode::InvalidValue,
            ErrorCode::PayloadTooLarge,
            ErrorCode::MediaUnavailable,
        ],
        handler: |method| on(method, add),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/calls/{id}",
        operation_id: "showCall",
        tag: "calls",
        summary: "A call with its transcript and its latest job",
        description: "Utterances are in order of start time; the job's `progress` is the share of audio done.",
        access: Access::Allowed(Action::ReadCalls),
        params: &[ID],
        body: None,
        status: 200,
        reply: Content { media_type: "application/json", schema: Some("CallDetails"), description: "The call." },
        errors: &[ErrorCode::NotFound],
        handler: |method| on(method, show),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/calls/{id}/audio",
        operation_id: "callAudio",
        tag: "calls",
        summary: "The call's recording, with byte-range support",
        description: "Answers `Range: bytes=a-b`, `bytes=a-` and `bytes=-n` with 206 and `Content-Range`; a range \
                      starting past the end gets 416. Calls imported from a transcript have no recording (404).",
        access: Access::Allowed(Action::ReadCalls),
        params: &[ID],
        body: None,
        status: 200,
        reply: Content { media_type: "audio/*", schema: None, description: "The recording, or the range asked for." },
        errors: &[ErrorCode::NotFound, ErrorCode::RangeNotSatisfiable, ErrorCode::MediaUnavailable],
        handler: |method| on(method, audio),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/jobs",
        operation_id: "listJobs",
        tag: "calls",
        summary: "List background jobs, newest first",
        description: "Each job's `progress` is the share of its work done (0 to 1).",
        access: Access::Allowed(Action::ReadCalls),
        params: &[
            query("status", ParamKind::OneOf(JOB_STATUSES), "Only jobs in this status."),
            query("kind", ParamKind::Text, "Only jobs of this kind (`transcribe`)."),
            query("call", ParamKind::Integer, "Only the jobs of this call."),
            LIMIT,
            OFFSET,
        ],
        body: None,
        status: 200,
        reply: Content { media_type: "application/json", schema: Some("JobList"), description: "The jobs." },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, list_jobs),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/jobs/{id}",
        operation_id: "showJob",
        tag: "calls",
        summary: "A background job with its progress",
        description: "`progress` is the share of the work done (0 to 1), as the worker last reported it.",
        access: Access::Allowed(Action::ReadCalls),
        params: &[ID],
        body: None,
        status: 200,
        reply: Content { media_type: "application/json", schema: Some("Job"), description: "The job." },
        errors: &[ErrorCode::NotFound],
        handler: |method| on(method, show_job),
    },
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    rep: Option<String>,
    person: Option<String>,
    account: Option<String>,
    status: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

async fn list(
    Allowed { user, .. }: Allowed<ReadCalls>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> JsonResult {
    let filter = CallFilter {
        rep: params.rep,
        person: params.person,
        account: params.account,
        status: params.status,
        limit: params.limit,
        offset: params.offset,
    };
    reply(
        &state
            .run(move |store| {
                let scope = permissions::scope(store, &user)?;
                let mut calls = calls::call_query(store, &filter).and_then(|q| calls::list(store, &q))?;
                // Reps and team managers get the calls they may see; a page may come out short.
                calls.retain(|call| scope.allows(call.rep_id));
                Ok::<_, AppError>(calls)
            })
            .await?,
    )
}

async fn show(
    Allowed { user, .. }: Allowed<ReadCalls>,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> JsonResult {
    reply(
        &state
            .run(move |store| {
                let details = calls::show(store, id)?;
                permissions::check_call(store, &user, &details.call)?;
                Ok::<_, AppError>(details)
            })
            .await?,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobParams {
    status: Option<String>,
    kind: Option<String>,
    call: Option<i64>,
    limit: Option<u32>,
    offset: Option<u32>,
}

async fn list_jobs(
    _: Allowed<ReadCalls>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<JobParams>,
) -> JsonResult {
    let filter = JobFilter {
        status: params.status,
        kind: params.kind,
        call: params.call,
        limit: params.limit,
        offset: params.offset,
    };
    let query = calls::job_query(&filter)?;
    reply(&state.run(move |store| calls::jobs(store, &query)).await?)
}

async fn show_job(
    _: Allowed<ReadCalls>,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> JsonResult {
    reply(&state.run(move |store| calls::job(store, id)).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddParams {
    file_name: String,
    title: Option<String>,
    person: Option<String>,
    account: Option<String>,
    opportunity: Option<String>,
    rep: Option<String>,
    started_at: Option<String>,
    channels: Option<String>,
}

async fn add(
    _: Allowed<AddCalls>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<AddParams>,
    body: Body,
) -> Result<Response, ApiError> {
    let file_name = base_name(&params.file_name)?;
    let channels = params.channels.as_deref().map(ChannelRoles::parse).transpose()?;
    let reps = params
        .rep
        .as_deref()
        .map(|text| text.split(',').map(str::trim).filter(|rep| !rep.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    let new = NewCall {
        title: params.title,
        started_at: params.started_at,
        person_email: params.person,
        account_domain: params.account,
        opportunity: params.opportunity,
        reps,
        channels,
    };
    let upload = receive(
        body,
        &file_name,
        |message| ApiError::invalid("body", message),
        "calls take at most {MiB} MiB; use `rapport calls add` for larger files",
    )
    .await?;
    let mut head = Vec::with_capacity(16);
    let file = tokio::fs::File::open(&upload.path).await.map_err(ApiError::internal)?;
    file.take(16).read_to_end(&mut head).await.map_err(ApiError::internal)?;
    let now = Utc::now();
    let added = if calls::is_audio(&file_name, &head) {
        let media = media(&state)?;
        state.run(move |store| calls::add_audio(store, &media, &new, &upload.path, now)).await?
    } else {
        state
            .run(move |store| {
                let bytes = std::fs::read(&upload.path).map_err(ApiError::internal)?;
                calls::add_transcript(store, &new, &file_name, &bytes, now).map_err(ApiError::from)
            })
            .await?
    };
    Ok((StatusCode::CREATED, reply(&added)?).into_response())
}

/// The file name without any folders, safe to create in a folder of our own.
fn base_name(text: &str) -> Result<String, ApiError> {
    let name = text.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if name.is_empty() || name == "." || name == ".." || name.contains('\0') {
        return Err(ApiError::invalid("file_name", format!("`{text}` is not a file name")));
    }
    Ok(name.to_owned())
}

fn media(state: &AppState) -> Result<Arc<MediaStore>, ApiError> {
    state.media.clone().ok_or_else(|| {
        ApiError::new(
            ErrorCode::MediaUnavailable,
            "this server has no media store for recordings; start it with `rapport serve` and a media location",
        )
    })
}

async fn audio(
    Allowed { user, .. }: Allowed<ReadCalls>,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let call = state
        .run(move |store| {
            let id = CallId(id);
            let call = store.call(id)?.ok_or(AppError::NotFound { what: "call", key: id.to_string() })?;
            permissions::check_call(store, &user, &call)?;
            Ok::<_, AppError>(call)
        })
        .await?;
    let Some(key) = call.record.audio_key.clone() else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("call {} was imported from a transcript and has no recording", call.id),
        ));
    };
    let media = media(&state)?;
    let size = media.head_async(&key).await.map_err(media_error)?.size;
    let content_type = call.record.audio_content_type.as_deref().unwrap_or("application/octet-stream");
    let range =
        headers.get(header::RANGE).and_then(|value| value.to_str().ok()).map(|text| parse_range(text, size));
    let (status, range) = match range {
        None | Some(RangeAnswer::Ignore) => (StatusCode::OK, 0..size),
        Some(RangeAnswer::Part(range)) => (StatusCode::PARTIAL_CONTENT, range),
        Some(RangeAnswer::Unsatisfiable) => {
            let mut response = ApiError::new(
                ErrorCode::RangeNotSatisfiable,
                format!("the recording has {size} bytes; the range asked for is outside it"),
            )
            .into_response();
            response.headers_mut().insert(header::CONTENT_RANGE, header_value(format!("bytes */{size}")));
            return Ok(response);
        }
    };
    let mut response = Response::new(stream(media, key, range.clone()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, header_value(content_type.to_owned()));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CONTENT_LENGTH, header_value((range.end - range.start).to_string()));
    if status == StatusCode::PARTIAL_CONTENT {
        let text = format!("bytes {}-{}/{size}", range.start, range.end - 1);
        headers.insert(header::CONTENT_RANGE, header_value(text));
    }
    Ok(response)
}

fn header_value(text: String) -> HeaderValue {
    HeaderValue::try_from(text).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

fn media_error(error: MediaError) -> ApiError {
    match error {
        MediaError::RangeNotSatisfiable { .. } => {
            ApiError::new(ErrorCode::RangeNotSatisfiable, error.to_string())
        }
        // A call whose recording is missing or unreadable is the server's problem, not the caller's.
        other => ApiError::internal(other),
    }
}

/// The bytes `range` of the object, read chunk by chunk as the client takes them.
fn stream(media: Arc<MediaStore>, key: String, range: Range<u64>) -> Body {
    let chunks = futures_util::stream::unfold(range.start, move |position| {
        let (media, key, end) = (Arc::clone(&media), key.clone(), range.end);
        async move {
            if position >= end {
                return None;
            }
            let next = (position + AUDIO_CHUNK).min(end);
            match media.get_range_async(&key, position..next).await {
                Ok(bytes) => Some((Ok(bytes), next)),
                Err(error) => {
                    // Too late for an error status: break the transfer.
                    tracing::error!(%error, "streaming a recording failed");
                    Some((Err(std::io::Error::other("reading the recording failed")), end))
                }
            }
        }
    });
    Body::from_stream(chunks)
}

/// What a `Range` header asks of an object of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum RangeAnswer {
    /// Not a single byte range we understand: answer with the whole object (RFC 9110 allows it).
    Ignore,
    Part(Range<u64>),
    Unsatisfiable,
}

fn parse_range(text: &str, size: u64) -> RangeAnswer {
    let Some(spec) = text.trim().strip_prefix("bytes=") else { return RangeAnswer::Ignore };
    if spec.contains(',') {
        return RangeAnswer::Ignore;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return RangeAnswer::Ignore };
    let (first, last) = (first.trim(), last.trim());
    let number = |text: &str| text.parse::<u64>().ok();
    match (first.is_empty(), last.is_empty()) {
        // `bytes=-n`: the last n bytes.
        (true, false) => match number(last) {
            None => RangeAnswer::Ignore,
            Some(0) => RangeAnswer::Unsatisfiable,
            Some(_) if size == 0 => RangeAnswer::Unsatisfiable,
            Some(n) => RangeAnswer::Part(size.saturating_sub(n)..size),
        },
        // `bytes=a-`: from a to the end.
        (false, true) => match number(first) {
            None => RangeAnswer::Ignore,
            Some(start) if start >= size => RangeAnswer::Unsatisfiable,
            Some(start) => RangeAnswer::Part(start..size),
        },
        // `bytes=a-b`: both inclusive, cut at the end.
        (false, false) => match (number(first), number(last)) {
            (Some(start), Some(end)) if start <= end => {
                if start >= size {
                    RangeAnswer::Unsatisfiable
                } else {
                    RangeAnswer::Part(start..end.saturating_add(1).min(size))
                }
            }
            _ => RangeAnswer::Ignore,
        },
        (true, true) => RangeAnswer::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_range, RangeAnswer};

    #[test]
    fn ranges_follow_rfc_9110() {
        let part = |r: std::ops::Range<u64>| RangeAnswer::Part(r);
        assert_eq!(parse_range("bytes=0-9", 100), part(0..10));
        assert_eq!(parse_range("bytes=90-200", 100), part(90..100));
        assert_eq!(parse_range("bytes=10-", 100), part(10..100));
        assert_eq!(parse_range("bytes=-10", 100), part(90..100));
        assert_eq!(parse_range("bytes=-500", 100), part(0..100));
        assert_eq!(parse_range("bytes=100-", 100), RangeAnswer::Unsatisfiable);
        assert_eq!(parse_range("bytes=100-120", 100), RangeAnswer::Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), RangeAnswer::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-2", 100), RangeAnswer::Ignore);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), RangeAnswer::Ignore);
        assert_eq!(parse_range("items=0-1", 100), RangeAnswer::Ignore);
    }
}
