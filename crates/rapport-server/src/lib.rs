//! Rapport's HTTP API: JSON under `/api/`, health at `/healthz`, the OpenAPI document at
//! `/api/openapi.json`.
//!
//! [`router`] builds the API from one route table ([`routes::endpoints`]), which also produces
//! the OpenAPI document ([`openapi::document`]), so what is served is what is documented.
//! Authentication and permissions are extractors ([`auth`]); every error, rejections of
//! malformed input included, is one JSON shape from one table of codes ([`error`]). Handlers
//! hold no business rules: they parse the request, call `rapport_app` on the blocking pool
//! and serialise the answer. The web app's pages (`rapport_web`) are mounted beside the API;
//! the API also accepts their session cookie (see [`auth`]).

pub mod auth;
pub mod error;
mod extract;
pub mod openapi;
pub mod routes;
mod schemas;
mod schemas_reports;
mod schemas_scoring;
mod schemas_search;
mod schemas_team;
mod state;

use std::future::Future;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

pub use error::{ApiError, ErrorCode, ErrorType};
pub use state::AppState;

/// The whole API and the web app's pages.
pub fn router(state: AppState) -> Router {
    let web = rapport_web::router(state.web());
    let mut router = Router::new();
    for endpoint in routes::endpoints() {
        // Routes on one path merge, so a table entry per method is enough.
        router = router.route(endpoint.path, (endpoint.handler)(endpoint.method.filter()));
    }
    router
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .merge(web)
        .layer(middleware::from_fn(log_request))
}

/// Serves the API on `listener` until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer's address feeds the web login's per-address rate limit.
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await
}

async fn route_not_found(request: Request) -> ApiError {
    ApiError::new(
        ErrorCode::RouteNotFound,
        format!("no endpoint at {}; see /api/openapi.json", request.uri().path()),
    )
}

async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{} does not answer {}; see /api/openapi.json", request.uri().path(), request.method()),
    )
}

/// One line per request. Only the method, path and outcome: never headers (they carry the
/// token) nor the query string.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let millis = started.elapsed().as_millis();
    if response.status().is_server_error() {
        tracing::warn!(%method, %path, status, millis, "request failed");
    } else {
        tracing::info!(%method, %path, status, millis, "request");
    }
    response
}
