//! What every handler shares, and the one way handlers reach storage: on the blocking pool.

use std::sync::Arc;

use rapport_app::report_cache::ReportCache;
use rapport_media::MediaStore;
use rapport_store::Store;

use crate::error::ApiError;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Hours sales has to respond to a handoff, for the funnel report's SLA figures.
    pub sla_hours: u32,
    /// Facts kept between reports while the store is unchanged.
    pub reports: Arc<ReportCache>,
    /// Where call recordings are kept; without it, recordings can be neither added nor played.
    /// Its last handle must not be dropped inside an async task (it owns a tokio runtime).
    pub media: Option<Arc<MediaStore>>,
    /// Mark the web app's session cookie `Secure` (served over TLS or behind a TLS proxy).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, sla_hours: u32) -> Self {
        Self {
            store,
            sla_hours,
            reports: Arc::new(ReportCache::default()),
            media: None,
            secure_cookies: false,
        }
    }

    /// The same state with a media store for call recordings.
    pub fn with_media(mut self, media: Arc<MediaStore>) -> Self {
        self.media = Some(media);
        self
    }

    /// The same state with `Secure` session cookies when `secure` is set.
    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = secure;
        self
    }

    /// What the web app's pages share with the API.
    pub fn web(&self) -> rapport_web::WebState {
        rapport_web::WebState {
            store: Arc::clone(&self.store),
            sla_hours: self.sla_hours,
            reports: Arc::clone(&self.reports),
            scores: Arc::default(),
            secure_cookies: self.secure_cookies,
            login: rapport_app::sessions::LoginPolicy::default(),
        }
    }

    /// Loads the unfiltered facts in the background, so the first dashboard view after a
    /// start does not wait for them. Failures are only logged: the report will retry.
    pub fn warm_up(&self) {
        let (store, cache) = (Arc::clone(&self.store), Arc::clone(&self.reports));
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let filter = rapport_domain::FactsFilter::default();
            let loaded = cache
                .funnel_facts(&*store, &filter)
                .and_then(|_| cache.attribution_facts(&*store, &filter).map(|_| ()))
                .and_then(|_| rapport_app::scoring::accounts::warm(&*store, &cache));
            match loaded {
                Ok(()) => {
                    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "report facts loaded")
                }
                Err(error) => tracing::warn!(%error, "loading report facts failed"),
            }
        });
    }

    /// Runs a use case on tokio's blocking pool: the store is synchronous (SQLite and the
    /// PostgreSQL client block), and blocking a runtime worker would stall other requests.
    pub(crate) async fn run<T, E, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, E> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || work(&*store)).await {
            Ok(result) => result.map_err(Into::into),
            Err(join_error) => Err(ApiError::internal(format!("a blocking task failed: {join_error}"))),
        }
    }
}
