//! Who is asking, the workspace's users, and the rejection reason codes.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Json;
use axum::routing::on;
use rapport_app::permissions::Action;
use rapport_app::{reasons, users};
use serde::Deserialize;

use super::{reply, Access, Content, Endpoint, HttpMethod};
use crate::auth::{Allowed, CurrentUser, ManageReasons, ManageUsers, ReadLeads};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiJson;
use crate::state::AppState;

type JsonResult = Result<Json<serde_json::Value>, ApiError>;

const fn json(schema: &'static str, description: &'static str) -> Content {
    Content { media_type: "application/json", schema: Some(schema), description }
}

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/me",
        operation_id: "me",
        tag: "users",
        summary: "The user the token belongs to",
        description: "Useful to check a token and see its role.",
        access: Access::Authenticated,
        params: &[],
        body: None,
        status: 200,
        reply: json("User", "The authenticated user."),
        errors: &[],
        handler: |method| on(method, me),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/users",
        operation_id: "listUsers",
        tag: "users",
        summary: "The workspace's users",
        description: "Everyone who reads leads may list users, to pick an owner for a handoff.",
        access: Access::Allowed(Action::ReadLeads),
        params: &[],
        body: None,
        status: 200,
        reply: json("UserList", "The users, in the order they were added."),
        errors: &[],
        handler: |method| on(method, list_users),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/users",
        operation_id: "addUser",
        tag: "users",
        summary: "Add a user, or update the name, team and role of the user with that email",
        description: "Tokens for the user are created with `rapport tokens create --user EMAIL`.",
        access: Access::Allowed(Action::ManageUsers),
        params: &[],
        body: Some(json("NewUser", "The user.")),
        status: 201,
        reply: json("User", "The stored user."),
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, add_user),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/reasons",
        operation_id: "listReasons",
        tag: "reasons",
        summary: "The rejection reason codes, in display order",
        description: "A rejection must name one of these codes.",
        access: Access::Allowed(Action::ReadLeads),
        params: &[],
        body: None,
        status: 200,
        reply: json("ReasonList", "The codes with their labels."),
        errors: &[],
        handler: |method| on(method, list_reasons),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/reasons",
        operation_id: "addReason",
        tag: "reasons",
        summary: "Add a rejection reason code, or relabel an existing one",
        description: "Codes are lower-case letters, digits and `_`.",
        access: Access::Allowed(Action::ManageReasons),
        params: &[],
        body: Some(json("Reason", "The code and its label.")),
        status: 201,
        reply: json("Reason", "The stored code."),
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, add_reason),
    },
];

async fn me(CurrentUser(user): CurrentUser) -> JsonResult {
    reply(&user)
}

async fn list_users(_: Allowed<ReadLeads>, State(state): State<AppState>) -> JsonResult {
    reply(&state.run(users::list).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUserBody {
    email: String,
    role: String,
    name: Option<String>,
    team: Option<String>,
}

async fn add_user(
    Allowed { user: actor, .. }: Allowed<ManageUsers>,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let new = users::NewUser { email: body.email, role: body.role, name: body.name, team: body.team };
    let user =
        state.run(move |store| users::add_audited(store, &new, Some(&actor), chrono::Utc::now())).await?;
    Ok((StatusCode::CREATED, reply(&user)?))
}

async fn list_reasons(_: Allowed<ReadLeads>, State(state): State<AppState>) -> JsonResult {
    reply(&state.run(reasons::list).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonBody {
    code: String,
    label: String,
}

async fn add_reason(
    _: Allowed<ManageReasons>,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let entry = state.run(move |store| reasons::add(store, &body.code, &body.label)).await?;
    Ok((StatusCode::CREATED, reply(&entry)?))
}
