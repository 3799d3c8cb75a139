//! The funnel and attribution reports over a period, filtered by person attributes.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Json;
use axum::routing::on;
use chrono::Utc;
use rapport_app::permissions::Action;
use rapport_app::reports::{self, ReportQuery};
use rapport_domain::FactsFilter;
use rapport_funnel::{AttributionModel, GroupBy};
use serde::Deserialize;

use super::params::{query, CAMPAIGN, FROM, INDUSTRY, OWNER, SIZE_BAND, SOURCE, TO};
use super::{reply, Access, Content, Endpoint, HttpMethod, ParamKind};
use crate::auth::{Allowed, ReadReports};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/reports/funnel",
        operation_id: "funnelReport",
        tag: "reports",
        summary: "The funnel: MQL acceptance, stages, SLA, rejection reasons, pipeline and revenue",
        description:
            "Figures follow the definitions of the `rapport-funnel` crate; the period is `[from, to)`.",
        access: Access::Allowed(Action::ReadReports),
        params: &[
            FROM,
            TO,
            SOURCE,
            CAMPAIGN,
            OWNER,
            INDUSTRY,
            SIZE_BAND,
            query(
                "by",
                ParamKind::OneOf(&["source", "campaign", "owner", "industry", "size_band"]),
                "Break the headline figures down by this attribute (`groups`).",
            ),
        ],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("FunnelReport"),
            description: "The report.",
        },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, funnel),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/reports/attribution",
        operation_id: "attributionReport",
        tag: "reports",
        summary: "Pipeline and won revenue credited to campaigns and content",
        description:
            "Deals created in the period; the model decides how each deal's amount is split over its touches.",
        access: Access::Allowed(Action::ReadReports),
        params: &[
            query(
                "model",
                ParamKind::OneOf(&["first", "last", "linear", "w"]),
                "Attribution model; default `w` (W-shaped).",
            ),
            FROM,
            TO,
            SOURCE,
            CAMPAIGN,
            OWNER,
            INDUSTRY,
            SIZE_BAND,
        ],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("AttributionReport"),
            description: "The report.",
        },
        errors: &[ErrorCode::InvalidValue],
        handler: |method| on(method, attribution),
    },
];

// The filter fields are repeated rather than flattened: serde cannot flatten a struct into one
// that denies unknown fields, and catching `?sorce=` typos matters more.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FunnelParams {
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
    campaign: Option<String>,
    owner: Option<String>,
    industry: Option<String>,
    size_band: Option<String>,
    by: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributionParams {
    model: Option<String>,
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
    campaign: Option<String>,
    owner: Option<String>,
    industry: Option<String>,
    size_band: Option<String>,
}

async fn funnel(
    _: Allowed<ReadReports>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<FunnelParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let group_by = match params.by.as_deref() {
        None => None,
        Some(text) => Some(GroupBy::parse(text).ok_or_else(|| {
            ApiError::invalid(
                "by",
                format!("`{text}` is not a grouping (source, campaign, owner, industry, size_band)"),
            )
        })?),
    };
    let now = Utc::now();
    let (from, to) = reports::period(params.from.as_deref(), params.to.as_deref(), now)?;
    let filter = FactsFilter {
        source: params.source,
        campaign: params.campaign,
        owner: params.owner,
        industry: params.industry,
        size_band: params.size_band,
    };
    let query = ReportQuery { from, to, filter };
    let (sla_hours, cache) = (state.sla_hours, Arc::clone(&state.reports));
    reply(
        &state
            .run(move |store| reports::funnel_cached(&cache, store, &query, group_by, sla_hours, now))
            .await?,
    )
}

async fn attribution(
    _: Allowed<ReadReports>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<AttributionParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let model = match params.model.as_deref() {
        None => AttributionModel::W,
        Some(text) => AttributionModel::parse(text).ok_or_else(|| {
            ApiError::invalid("model", format!("`{text}` is not a model (first, last, linear, w)"))
        })?,
    };
    let (from, to) = reports::period(params.from.as_deref(), params.to.as_deref(), Utc::now())?;
    let filter = FactsFilter {
        source: params.source,
        campaign: params.campaign,
        owner: params.owner,
        industry: params.industry,
        size_band: params.size_band,
    };
    let query = ReportQuery { from, to, filter };
    let cache = Arc::clone(&state.reports);
    reply(&state.run(move |store| reports::attribution_cached(&cache, store, &query, model)).await?)
}
