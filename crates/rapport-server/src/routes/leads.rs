//! People and the lead handoff: list, show, hand off, accept, reject, recycle. Changes are
//! recorded with the authenticated user as actor and `api` as source.

use axum::extract::State;
use axum::response::Json;
use axum::routing::on;
use chrono::Utc;
use rapport_app::leads::{self, ListQuery};
use rapport_app::permissions::{self, Action};
use rapport_app::ChangeOptions;
use rapport_app::{audit, AppError};
use rapport_domain::{Actor, EventSource, StageEvent, User};
use rapport_store::Store;
use serde::Deserialize;

use super::params::{self, query, EMAIL};
use super::{reply, Access, Content, Endpoint, HttpMethod, ParamKind};
use crate::auth::{Allowed, ChangeLead, HandOffLead, ReadLeads, RecycleLead};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiJsonOrEmpty, ApiPath, ApiQuery};
use crate::state::AppState;

type JsonResult = Result<Json<serde_json::Value>, ApiError>;

const EVENT: Content = Content {
    media_type: "application/json",
    schema: Some("StageEvent"),
    description: "The recorded stage event.",
};
const CHANGE_ERRORS: &[ErrorCode] =
    &[ErrorCode::NotFound, ErrorCode::InvalidValue, ErrorCode::TransitionNotAllowed];

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/people",
        operation_id: "listPeople",
        tag: "leads",
        summary: "List people with their current stage, newest first",
        description: "A page of people, optionally only those in one stage or owned by one user.",
        access: Access::Allowed(Action::ReadLeads),
        params: &[
            query("stage", ParamKind::Text, "Only people whose current stage is this (`mql`, `sal`, …)."),
            params::OWNER,
            query("limit", ParamKind::Integer, "People per page, 1 to 500; default 50."),
            query("offset", ParamKind::Integer, "People to skip; default 0."),
        ],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("PersonList"),
            description: "The people.",
        },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, list),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/people/{email}",
        operation_id: "showPerson",
        tag: "leads",
        summary: "A person with their stage history and recent touches",
        description: "History is oldest first; touches are the 20 most recent.",
        access: Access::Allowed(Action::ReadLeads),
        params: &[EMAIL],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("LeadDetails"),
            description: "The person.",
        },
        errors: &[ErrorCode::NotFound, ErrorCode::InvalidValue],
        handler: |method| on(method, show),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/people/{email}/handoff",
        operation_id: "handOffLead",
        tag: "leads",
        summary: "Hand a lead to a sales owner (to `mql`)",
        description: "Starts the SLA clock. Handing off an MQL again re-assigns it to the new owner.",
        access: Access::Allowed(Action::HandOffLead),
        params: &[EMAIL],
        body: Some(Content {
            media_type: "application/json",
            schema: Some("HandoffRequest"),
            description: "The owner.",
        }),
        status: 200,
        reply: EVENT,
        errors: CHANGE_ERRORS,
        handler: |method| on(method, handoff),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/people/{email}/accept",
        operation_id: "acceptLead",
        tag: "leads",
        summary: "Sales accepts a handed-over lead (`mql` to `sal`)",
        description: "The body may be empty.",
        access: Access::Allowed(Action::ChangeLead),
        params: &[EMAIL],
        body: Some(Content {
            media_type: "application/json",
            schema: Some("ChangeRequest"),
            description: "Optional note.",
        }),
        status: 200,
        reply: EVENT,
        errors: CHANGE_ERRORS,
        handler: |method| on(method, accept),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/people/{email}/reject",
        operation_id: "rejectLead",
        tag: "leads",
        summary: "Sales rejects a handed-over lead with a reason code",
        description: "The reason must be one of `GET /api/reasons`; a forced change still needs one.",
        access: Access::Allowed(Action::ChangeLead),
        params: &[EMAIL],
        body: Some(Content {
            media_type: "application/json",
            schema: Some("RejectRequest"),
            description: "The reason.",
        }),
        status: 200,
        reply: EVENT,
        errors: &[
            ErrorCode::NotFound,
            ErrorCode::InvalidValue,
            ErrorCode::TransitionNotAllowed,
            ErrorCode::ReasonRequired,
            ErrorCode::UnknownReason,
        ],
        handler: |method| on(method, reject),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/people/{email}/recycle",
        operation_id: "recycleLead",
        tag: "leads",
        summary: "Send a lead back to nurture (to `recycled`)",
        description: "The body may be empty.",
        access: Access::Allowed(Action::RecycleLead),
        params: &[EMAIL],
        body: Some(Content {
            media_type: "application/json",
            schema: Some("ChangeRequest"),
            description: "Optional note.",
        }),
        status: 200,
        reply: EVENT,
        errors: CHANGE_ERRORS,
        handler: |method| on(method, recycle),
    },
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    stage: Option<String>,
    owner: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

async fn list(
    _: Allowed<ReadLeads>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> JsonResult {
    let query =
        ListQuery { stage: params.stage, owner: params.owner, limit: params.limit, offset: params.offset };
    reply(&state.run(move |store| leads::list(store, &query)).await?)
}

async fn show(
    Allowed { user, .. }: Allowed<ReadLeads>,
    State(state): State<AppState>,
    ApiPath(email): ApiPath<String>,
) -> JsonResult {
    reply(
        &state
            .run(move |store| {
                let details = leads::show(store, &email)?;
                permissions::check_person(store, &user, &details.person)?;
                Ok::<_, AppError>(details)
            })
            .await?,
    )
}

/// Records a lead change in the audit log once the store accepted it.
fn audited(
    store: &dyn Store,
    user: &User,
    action: &str,
    email: &str,
    event: Result<StageEvent, AppError>,
) -> Result<StageEvent, AppError> {
    let event = event?;
    let details = format!(
        "{} → {}{}",
        event.from.map_or("none", |stage| stage.as_str()),
        event.to.as_str(),
        event.reason.as_deref().map(|reason| format!(" ({reason})")).unwrap_or_default()
    );
    audit::record(store, &audit::entry(Some(user), action, email, &details, event.at))?;
    Ok(event)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoffBody {
    owner: String,
    note: Option<String>,
    #[serde(default)]
    force: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeBody {
    note: Option<String>,
    #[serde(default)]
    force: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RejectBody {
    /// Optional here so that its absence gets the lifecycle's answer, which lists the codes.
    reason: Option<String>,
    note: Option<String>,
    #[serde(default)]
    force: bool,
}

/// API changes are the authenticated user's, through the API door, now.
fn options(user: &User, note: Option<String>, force: bool) -> ChangeOptions {
    ChangeOptions {
        actor: Actor::User { id: user.id },
        source: EventSource::Api,
        note,
        force,
        at: Utc::now(),
    }
}

async fn handoff(
    Allowed { user, .. }: Allowed<HandOffLead>,
    State(state): State<AppState>,
    ApiPath(email): ApiPath<String>,
    ApiJson(body): ApiJson<HandoffBody>,
) -> JsonResult {
    let options = options(&user, body.note, body.force);
    reply(
        &state
            .run(move |store| {
                let event = leads::handoff(store, &email, &body.owner, &options);
                audited(store, &user, "stage.handoff", &email, event)
            })
            .await?,
    )
}

async fn accept(
    Allowed { user, .. }: Allowed<ChangeLead>,
    State(state): State<AppState>,
    ApiPath(email): ApiPath<String>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<ChangeBody>,
) -> JsonResult {
    let options = options(&user, body.note, body.force);
    reply(
        &state
            .run(move |store| {
                let event = leads::accept(store, &email, &options);
                audited(store, &user, "stage.accept", &email, event)
            })
            .await?,
    )
}

async fn reject(
    Allowed { user, .. }: Allowed<ChangeLead>,
    State(state): State<AppState>,
    ApiPath(email): ApiPath<String>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<RejectBody>,
) -> JsonResult {
    let options = options(&user, body.note, body.force);
    let reason = body.reason.unwrap_or_default();
    reply(
        &state
            .run(move |store| {
                let event = leads::reject(store, &email, &reason, &options);
                audited(store, &user, "stage.reject", &email, event)
            })
            .await?,
    )
}

async fn recycle(
    Allowed { user, .. }: Allowed<RecycleLead>,
    State(state): State<AppState>,
    ApiPath(email): ApiPath<String>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<ChangeBody>,
) -> JsonResult {
    let options = options(&user, body.note, body.force);
    reply(
        &state
            .run(move |store| {
                let event = leads::recycle(store, &email, &options);
                audited(store, &user, "stage.recycle", &email, event)
            })
            .await?,
    )
}
