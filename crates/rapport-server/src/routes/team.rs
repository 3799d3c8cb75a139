//! The team report: each rep's interaction stats beside the team average, with trends, over
//! the calls the asking user may see (`rapport_app::team_stats` holds the definitions).

use axum::extract::State;
use axum::response::Json;
use axum::routing::on;
use rapport_app::permissions::Action;
use rapport_app::team_stats::{cached_team_stats, TeamStatsQuery};
use serde::Deserialize;

use super::params::query;
use super::{reply, Access, Content, Endpoint, HttpMethod, ParamKind};
use crate::auth::{Allowed, ReadCalls};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) const ENDPOINTS: &[Endpoint] = &[Endpoint {
    method: HttpMethod::Get,
    path: "/api/reports/team",
    operation_id: "teamReport",
    tag: "reports",
    summary: "Interaction stats per rep beside the team average, with each rep's trend",
    description: "Means of each call's interaction stats (talk ratio, longest monologue, longest customer story, \
                  interactivity 0–10, patience, questions per hour, call length, words per minute, fillers per \
                  100 words), each over the calls where it is defined: for the team (every call of the report, \
                  each once) and per rep, with each rep's means per month or ISO week and the change from their \
                  first period to their last. Only the calls the user may see count: a sales rep gets their own \
                  row and their own calls as the team, a manager their team's reps. Naming a rep the user may \
                  not see is refused with 403.",
    access: Access::Allowed(Action::ReadCalls),
    params: &[
        query("from", ParamKind::Date, "Only calls started at or after this date; default: all analysed calls."),
        query("to", ParamKind::Date, "Only calls started before this date."),
        query("by", ParamKind::OneOf(&["month", "week"]), "The length of the trends' periods; default month."),
        query("rep", ParamKind::Email, "Only this rep's row (the team average stays the team's)."),
        query("team", ParamKind::Text, "Only the calls of the reps of this team."),
    ],
    body: None,
    status: 200,
    reply: Content { media_type: "application/json", schema: Some("TeamReport"), description: "The report." },
    errors: &[ErrorCode::InvalidValue],
    handler: |method| on(method, team),
}];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamParams {
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    rep: Option<String>,
    team: Option<String>,
}

async fn team(
    allowed: Allowed<ReadCalls>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<TeamParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let query = TeamStatsQuery::parse(
        params.from.as_deref(),
        params.to.as_deref(),
        params.by.as_deref(),
        params.rep.as_deref(),
        params.team.as_deref(),
    )?;
    let (user, cache) = (allowed.user, std::sync::Arc::clone(&state.reports));
    reply(&state.run(move |store| cached_team_stats(store, &cache.team_stats, &user, &query)).await?)
}
