//! The stylesheet and the three scripts, embedded in the binary and served under `/assets/`.
//! Their URLs carry the build's version, so they can be cached for a long time.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::WebState;

const ASSETS: &[(&str, &str, &str)] = &[
    ("app.css", "text/css; charset=utf-8", include_str!("../assets/app.css")),
    ("call.js", "text/javascript; charset=utf-8", include_str!("../assets/call.js")),
    ("filters.js", "text/javascript; charset=utf-8", include_str!("../assets/filters.js")),
    ("upload.js", "text/javascript; charset=utf-8", include_str!("../assets/upload.js")),
];

/// The URL of an asset, versioned by the crate's version.
pub fn path(name: &str) -> String {
    format!("/assets/{}/{name}", env!("CARGO_PKG_VERSION"))
}

pub(crate) fn router() -> Router<WebState> {
    Router::new().route("/assets/{version}/{name}", get(serve))
}

async fn serve(Path((_version, name)): Path<(String, String)>) -> Response {
    match ASSETS.iter().find(|(asset, _, _)| *asset == name) {
        Some((_, content_type, body)) => {
            ([(header::CONTENT_TYPE, *content_type), (header::CACHE_CONTROL, "public, max-age=86400")], *body)
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
