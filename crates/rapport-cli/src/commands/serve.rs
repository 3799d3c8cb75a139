//! `rapport serve`: the HTTP API until Ctrl-C or SIGTERM.

use std::sync::Arc;

use anyhow::Context;
use rapport_server::AppState;
use rapport_store::Store;

use crate::config::Config;

pub fn serve(config: &Config, store: Arc<dyn Store>, bind: Option<&str>) -> anyhow::Result<()> {
    let bind = bind.unwrap_or(&config.bind).to_owned();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(&bind).await.with_context(|| format!("cannot listen on {bind}"))?;
        let address = listener.local_addr()?;
        eprintln!("Rapport is serving on http://{address} (backend: {})", store.backend().as_str());
        let state = AppState::new(store, config.sla_hours);
        state.warm_up();
        rapport_server::serve(listener, state, shutdown_signal()).await.context("the server stopped")?;
        eprintln!("Rapport stopped");
        Ok(())
    })
}

/// Ctrl-C, or SIGTERM from a service manager, lets in-flight requests finish.
async fn shutdown_signal() {
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
