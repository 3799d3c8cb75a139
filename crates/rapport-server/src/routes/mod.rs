//! The route table: every endpoint with its documentation and its handler. The router is built
//! from this table and so is the OpenAPI document, so nothing is served undocumented.

mod admin;
mod analysis;
mod calls;
mod files;
mod leads;
mod meta;
mod reports;
mod scoring;
mod team;

use axum::response::Json;
use axum::routing::{MethodFilter, MethodRouter};
use rapport_app::permissions::Action;
use serde::Serialize;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

impl HttpMethod {
    /// Lower case, as OpenAPI names operations.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
            Self::Put => "put",
            Self::Delete => "delete",
        }
    }

    pub(crate) fn filter(self) -> MethodFilter {
        match self {
            Self::Get => MethodFilter::GET,
            Self::Post => MethodFilter::POST,
            Self::Put => MethodFilter::PUT,
            Self::Delete => MethodFilter::DELETE,
        }
    }
}

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token.
    Public,
    /// Any user with a valid token.
    Authenticated,
    /// Users whose role allows the action.
    Allowed(Action),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
}

/// The type of a parameter's value, as the OpenAPI document describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Text,
    Email,
    /// A date or date-time (`2024-03-01`, `2024-03-01T14:05:00Z`, …).
    Date,
    Integer,
    Boolean,
    OneOf(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub location: ParamIn,
    pub required: bool,
    pub kind: ParamKind,
    pub description: &'static str,
}

/// A request or response body: its media type and the schema (a component name) it follows.
#[derive(Debug, Clone, Copy)]
pub struct Content {
    pub media_type: &'static str,
    /// A key of the document's `components.schemas`; `None` for free-form bodies.
    pub schema: Option<&'static str>,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub method: HttpMethod,
    /// In axum's syntax, which is OpenAPI's too: `/api/people/{email}`.
    pub path: &'static str,
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub access: Access,
    pub params: &'static [Param],
    pub body: Option<Content>,
    /// The success response (status and body).
    pub status: u16,
    pub reply: Content,
    /// Errors particular to this endpoint; those that follow from its access, parameters and
    /// body (401, 400 for a bad query, …) are added by the OpenAPI generator.
    pub errors: &'static [ErrorCode],
    /// Builds the handler for `method`; the method comes from this table only.
    pub(crate) handler: fn(MethodFilter) -> MethodRouter<AppState>,
}

/// Every endpoint, in the order the OpenAPI document lists them.
pub fn endpoints() -> impl Iterator<Item = &'static Endpoint> {
    [
        meta::ENDPOINTS,
        admin::ENDPOINTS,
        leads::ENDPOINTS,
        reports::ENDPOINTS,
        files::ENDPOINTS,
        calls::ENDPOINTS,
        scoring::ENDPOINTS,
        analysis::ENDPOINTS,
        team::ENDPOINTS,
    ]
    .into_iter()
    .flatten()
}

/// Serialises through `serde_json::Value`, which keeps one value per key, so a flattened store
/// type that ever names a field twice still gives clients valid JSON.
pub(crate) fn reply<T: Serialize>(value: &T) -> Result<Json<serde_json::Value>, ApiError> {
    serde_json::to_value(value).map(Json).map_err(ApiError::internal)
}

/// Parameters several endpoints share.
pub(crate) mod params {
    use super::{Param, ParamIn, ParamKind};

    pub const EMAIL: Param = Param {
        name: "email",
        location: ParamIn::Path,
        required: true,
        kind: ParamKind::Email,
        description: "The person's email address (case does not matter).",
    };
    pub const FROM: Param =
        query("from", ParamKind::Date, "Start of the period (inclusive); default: 365 days before `to`.");
    pub const TO: Param =
        query("to", ParamKind::Date, "End of the period (exclusive); default: tomorrow 00:00 UTC.");
    pub const SOURCE: Param = query("source", ParamKind::Text, "Only people with this original source.");
    pub const CAMPAIGN: Param =
        query("campaign", ParamKind::Text, "Only people with this original campaign.");
    pub const OWNER: Param =
        query("owner", ParamKind::Email, "Only people owned by the user with this email.");
    pub const INDUSTRY: Param =
        query("industry", ParamKind::Text, "Only people whose account is in this industry.");
    pub const SIZE_BAND: Param = query(
        "size_band",
        ParamKind::OneOf(&["unknown", "1-49", "50-199", "200-999", "1000-4999", "5000+"]),
        "Only people whose account has this many employees.",
    );

    pub const fn query(name: &'static str, kind: ParamKind, description: &'static str) -> Param {
        Param { name, location: ParamIn::Query, required: false, kind, description }
    }
}
