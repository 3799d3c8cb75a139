//! Lead scoring over HTTP: the lead definition's versions (list, draft, approve, backtest),
//! a person's score with its reasons, the score report and the target-account list. Drafts
//! and approvals are the authenticated user's; the rules for who may approve for which side
//! are `rapport_app::scoring::definitions`'.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Json;
use axum::routing::on;
use chrono::Utc;
use rapport_app::permissions::Action;
use rapport_app::scoring::{accounts, definitions, explain, report};
use serde::Deserialize;

use super::params::{query, EMAIL};
use super::{reply, Access, Content, Endpoint, HttpMethod, Param, ParamIn, ParamKind};
use crate::auth::{Allowed, ApproveDefinition, DraftDefinition, ReadLeads, ReadReports};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiJsonOrEmpty, ApiPath, ApiQuery};
use crate::state::AppState;

type JsonResult = Result<Json<serde_json::Value>, ApiError>;

const fn json(schema: &'static str, description: &'static str) -> Content {
    Content { media_type: "application/json", schema: Some(schema), description }
}

const VERSION: Param = Param {
    name: "version",
    location: ParamIn::Path,
    required: true,
    kind: ParamKind::Integer,
    description: "The definition version number.",
};

/// Most accounts one request returns.
const MAX_ACCOUNTS: usize = 500;

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/definitions",
        operation_id: "listDefinitions",
        tag: "scoring",
        summary: "Every version of the lead definition, oldest first",
        description: "With status (draft, active, retired), author, comment and approvals.",
        access: Access::Allowed(Action::ReadLeads),
        params: &[],
        body: None,
        status: 200,
        reply: json("DefinitionVersionList", "The versions."),
        errors: &[],
        handler: |method| on(method, list_definitions),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/definitions",
        operation_id: "draftDefinition",
        tag: "scoring",
        summary: "Propose a new version of the lead definition (TOML)",
        description: "The document is checked first; an error names its line and field. The draft \
                      becomes active once a marketing and a sales user approve it.",
        access: Access::Allowed(Action::DraftDefinition),
        params: &[],
        body: Some(json("NewDefinition", "The TOML document and an optional comment.")),
        status: 201,
        reply: json("DefinitionVersion", "The stored draft."),
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, draft),
    },
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/definitions/{version}/approvals",
        operation_id: "approveDefinition",
        tag: "scoring",
        summary: "Approve a draft for your side",
        description: "Marketing users approve for marketing, sales managers and reps for sales; an \
                      admin names the side. One approval per person and per side; with both, the \
                      version becomes active and the previous one retired.",
        access: Access::Allowed(Action::ApproveDefinition),
        params: &[VERSION],
        body: Some(json("DefinitionApproval", "The side, for admins.")),
        status: 200,
        reply: json("DefinitionVersion", "The version with its approvals."),
        errors: &[ErrorCode::NotFound, ErrorCode::InvalidValue],
        handler: |method| on(method, approve),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/definitions/{version}/backtest",
        operation_id: "backtestDefinition",
        tag: "scoring",
        summary: "MQLs per month the version would have produced, next to the active version's",
        description: "Replays the workspace's history: when each person would have crossed the \
                      threshold, and the acceptance, opportunity and win rates of those people.",
        access: Access::Allowed(Action::ReadReports),
        params: &[VERSION],
        body: None,
        status: 200,
        reply: json("DefinitionBacktest", "The draft's months and the active version's."),
        errors: &[ErrorCode::NotFound],
        handler: |method| on(method, backtest),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/people/{email}/score",
        operation_id: "personScore",
        tag: "scoring",
        summary: "A person's fit, engagement, probability and grade, with the reasons",
        description: "Computed now from the person's records with the active definition and the \
                      latest model; rule reasons carry points, model reasons a sign.",
        access: Access::Allowed(Action::ReadLeads),
        params: &[EMAIL],
        body: None,
        status: 200,
        reply: json("ScoreDetails", "The scores and reasons."),
        errors: &[ErrorCode::NotFound, ErrorCode::InvalidValue],
        handler: |method| on(method, person_score),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/scores/report",
        operation_id: "scoreReport",
        tag: "scoring",
        summary: "Is the score still predicting outcomes?",
        description: "The latest model's AUC, log loss, calibration, lift by decile and conversion \
                      per grade on its test period; drift warnings; today's grades.",
        access: Access::Allowed(Action::ReadReports),
        params: &[],
        body: None,
        status: 200,
        reply: json("ScoreReport", "The report."),
        errors: &[],
        handler: |method| on(method, score_report),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/accounts/top",
        operation_id: "targetAccounts",
        tag: "scoring",
        summary: "Accounts ranked by fit and intent, with the reasons for each rank",
        description: "From the people's stored scores (`rapport score refresh`).",
        access: Access::Allowed(Action::ReadLeads),
        params: &[query("limit", ParamKind::Integer, "Accounts to return, 1 to 500; default 20.")],
        body: None,
        status: 200,
        reply: json("TargetAccountList", "The ranked accounts."),
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, target_accounts),
    },
];

async fn list_definitions(_: Allowed<ReadLeads>, State(state): State<AppState>) -> JsonResult {
    reply(&state.run(|store| Ok::<_, rapport_app::AppError>(store.definition_versions()?)).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftBody {
    document: String,
    comment: Option<String>,
}

async fn draft(
    Allowed { user, .. }: Allowed<DraftDefinition>,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<DraftBody>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let stored = state
        .run(move |store| {
            definitions::draft(store, &user, &body.document, body.comment.as_deref(), Utc::now())
        })
        .await?;
    Ok((StatusCode::CREATED, reply(&stored)?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveBody {
    side: Option<String>,
}

async fn approve(
    Allowed { user, .. }: Allowed<ApproveDefinition>,
    State(state): State<AppState>,
    ApiPath(version): ApiPath<i64>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<ApproveBody>,
) -> JsonResult {
    reply(
        &state
            .run(move |store| definitions::approve(store, &user, version, body.side.as_deref(), Utc::now()))
            .await?,
    )
}

async fn backtest(
    _: Allowed<ReadReports>,
    State(state): State<AppState>,
    ApiPath(version): ApiPath<i64>,
) -> JsonResult {
    reply(&state.run(move |store| definitions::backtest(store, version, Utc::now())).await?)
}

async fn person_score(
    Allowed { user, .. }: Allowed<ReadLeads>,
    State(state): State<AppState>,
    ApiPath(email): ApiPath<String>,
) -> JsonResult {
    reply(&state.run(move |store| explain(store, &user, &email, Utc::now())).await?)
}

async fn score_report(
    Allowed { user, .. }: Allowed<ReadReports>,
    State(state): State<AppState>,
) -> JsonResult {
    reply(&state.run(move |store| report::report(store, &user)).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopParams {
    limit: Option<usize>,
}

async fn target_accounts(
    Allowed { user, .. }: Allowed<ReadLeads>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<TopParams>,
) -> JsonResult {
    let limit = params.limit.unwrap_or(20);
    if limit == 0 || limit > MAX_ACCOUNTS {
        return Err(rapport_app::AppError::invalid("limit", format!("must be 1 to {MAX_ACCOUNTS}")).into());
    }
    let cache = std::sync::Arc::clone(&state.reports);
    reply(&state.run(move |store| accounts::top_cached(store, &cache, &user, limit)).await?)
}
