//! Rapport's web app: server-rendered pages for marketing and sales, mounted by
//! `rapport-server` beside the JSON API.
//!
//! Pages are compiled `maud` templates ([`layout`], [`pages`]), so every value is escaped;
//! charts are SVG drawn on the server ([`charts`]), each bar and point a link to the rows behind
//! it. Sign-in is a session cookie ([`session`]): the browser holds a random token, the store its
//! SHA-256; every form carries the session's CSRF token and a POST without it is refused with
//! 403. Three small scripts (audio sync, filters, uploads) are served from [`assets`]; the
//! Content-Security-Policy allows no inline script. What a page shows follows
//! `rapport_app::permissions` (what a role may do) and its visibility rules (which calls and
//! leads a user sees), the same functions the API asks.
//!
//! This crate knows no SQL and no JSON API: it reads through `rapport_app` and the `Store`.

pub mod assets;
pub mod charts;
pub mod charts_xy;
pub mod diff;
mod error;
pub mod format;
pub mod layout;
pub mod pages;
pub mod score_cache;
pub mod session;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use rapport_app::report_cache::ReportCache;
use rapport_app::sessions::LoginPolicy;
use rapport_store::Store;

pub use error::PageError;
pub use pages::{pages, Page, PageAccess};

/// What the pages share.
#[derive(Debug, Clone)]
pub struct WebState {
    pub store: Arc<dyn Store>,
    pub sla_hours: u32,
    pub reports: Arc<ReportCache>,
    /// Today's score distribution, kept while the store is unchanged (the scoring page).
    pub scores: Arc<score_cache::ScoreCache>,
    /// Mark the session cookie `Secure`: set when served over TLS or behind a TLS proxy.
    pub secure_cookies: bool,
    pub login: LoginPolicy,
}

impl WebState {
    /// Runs store work on the blocking pool (the store is synchronous).
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, PageError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, PageError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || work(&*store))
            .await
            .map_err(|error| PageError::internal(format!("a blocking task failed: {error}")))?
    }
}

/// Every page, the assets, login and logout, with the security headers.
pub fn router(state: WebState) -> Router {
    let mut router = Router::new();
    for page in pages() {
        router = router.route(page.path, (page.handler)());
    }
    router.merge(assets::router()).layer(middleware::from_fn(security_headers)).with_state(state)
}

/// The Content-Security-Policy allows scripts, styles and media from this origin only (no
/// inline script, so injected markup cannot run), and no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Pages hold private data: never keep them in shared caches or the back-forward cache
        // after logout.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
