//! The endpoints about the service itself: health and the API description. Both are public.

use std::sync::LazyLock;

use axum::extract::State;
use axum::response::Json;
use axum::routing::on;
use rapport_app::AppError;
use serde::Serialize;

use super::{reply, Access, Content, Endpoint, HttpMethod};
use crate::error::ApiError;
use crate::state::AppState;

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Get,
        path: "/healthz",
        operation_id: "health",
        tag: "meta",
        summary: "Whether the server and its database answer",
        description: "Reads one small table, so a broken database connection shows as a 500.",
        access: Access::Public,
        params: &[],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("Health"),
            description: "All is well.",
        },
        errors: &[],
        handler: |method| on(method, health),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/openapi.json",
        operation_id: "openapi",
        tag: "meta",
        summary: "This API's OpenAPI 3.1 description",
        description: "Generated from the server's route table.",
        access: Access::Public,
        params: &[],
        body: None,
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: None,
            description: "An OpenAPI 3.1 document.",
        },
        errors: &[],
        handler: |method| on(method, openapi),
    },
];

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    backend: &'static str,
    version: &'static str,
}

async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let backend = state
        .run(|store| {
            // The reason codes are a tiny table: reading them proves the database answers.
            store.rejection_reasons()?;
            Ok::<_, AppError>(store.backend().as_str())
        })
        .await?;
    reply(&Health { status: "ok", backend, version: env!("CARGO_PKG_VERSION") })
}

static DOCUMENT: LazyLock<serde_json::Value> = LazyLock::new(crate::openapi::document);

async fn openapi() -> Json<serde_json::Value> {
    Json(DOCUMENT.clone())
}
