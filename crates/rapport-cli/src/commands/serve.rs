//! `rapport serve`: the HTTP API until Ctrl-C or SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use rapport_server::AppState;
use rapport_store::Store;

use super::calls::open_media;
use super::worker::WorkerPool;
use crate::cli::ServeArgs;
use crate::config::Config;

pub fn serve(config: &Config, store: Arc<dyn Store>, args: &ServeArgs) -> anyhow::Result<()> {
    let bind = args.bind.as_deref().unwrap_or(&config.bind).to_owned();
    // Declared before the runtime so that the last handle is dropped after it, outside any
    // async task (the media store owns a runtime of its own).
    let media = Arc::new(open_media(config)?);
    // Transcription runs on plain threads beside the server, never on its runtime: a job
    // holds a CPU for minutes and would starve the request handlers.
    let pool =
        WorkerPool::start(store.clone(), Arc::clone(&media), config, args.workers.unwrap_or(config.workers))?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let server_media = Arc::clone(&media);
    let served = runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(&bind).await.with_context(|| format!("cannot listen on {bind}"))?;
        let address = listener.local_addr()?;
        eprintln!("Rapport is serving on http://{address} (backend: {})", store.backend().as_str());
        let state = AppState::new(store, config.sla_hours)
            .with_media(server_media)
            .with_secure_cookies(args.secure_cookies);
        state.warm_up();
        rapport_server::serve(listener, state, shutdown_signal()).await.context("the server stopped")?;
        Ok::<(), anyhow::Error>(())
    });
    pool.stop(Duration::from_secs(5));
    eprintln!("Rapport stopped");
    served
}

/// Ctrl-C, or SIGTERM from a service manager, lets in-flight requests finish.
pub(super) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
