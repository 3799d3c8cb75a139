//! `rapport worker` and the worker pool `rapport serve` runs in-process: transcription jobs
//! from the durable queue, one speech model per process shared by its workers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rapport_app::speech::SpeechModel;
use rapport_app::worker::{run_worker, WorkerOptions};
use rapport_media::MediaStore;
use rapport_store::Store;

use super::calls::open_media;
use super::transcribe::{load, speech_model};
use crate::cli_calls::WorkerArgs;
use crate::config::Config;

pub fn worker(store: Arc<dyn Store>, config: &Config, args: WorkerArgs) -> anyhow::Result<()> {
    let media = open_media(config)?;
    let model = speech_model(config, None, args.threads);
    // Load before claiming anything: a missing model is a setup error to report now, not a
    // reason to fail (and retry) every job.
    load(&model)?;
    let stop = Arc::new(AtomicBool::new(false));
    if !args.once {
        stop_on_signals(stop.clone());
    }
    let options = WorkerOptions { once: args.once, ..worker_options(config, 0) };
    let summary = run_worker(&*store, &media, &model, &options, &stop)?;
    eprintln!(
        "worker {}: {} transcribed, {} to retry, {} failed, {} taken over by another worker",
        options.worker_id, summary.succeeded, summary.retried, summary.failed, summary.lost
    );
    Ok(())
}

/// Queue settings from the configuration, with a worker id unique across machines.
fn worker_options(config: &Config, index: usize) -> WorkerOptions {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "rapport".to_owned());
    WorkerOptions {
        worker_id: format!("{host}-{}-{index}", std::process::id()),
        lease: Duration::from_secs(config.job_lease_seconds.max(1)),
        poll_interval: Duration::from_secs(config.job_poll_seconds),
        ..WorkerOptions::default()
    }
}

/// The first Ctrl-C (or SIGTERM) lets the current job finish and claims no more; a second
/// Ctrl-C quits at once, which is safe: the job's lease expires and another worker redoes it.
fn stop_on_signals(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        runtime.block_on(async {
            super::serve::shutdown_signal().await;
            stop.store(true, Ordering::Relaxed);
            eprintln!("stopping after the current job (Ctrl-C again to quit now)");
            let _ = tokio::signal::ctrl_c().await;
            std::process::exit(130);
        });
    });
}

/// Workers running beside the HTTP server.
#[derive(Debug)]
pub struct WorkerPool {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    /// Starts `count` workers sharing one model, loaded when the first job needs it so that
    /// the server starts at once (and even without a model: jobs then wait and retry).
    /// They share the server's media store rather than opening their own (each store runs a
    /// runtime of its own).
    pub fn start(
        store: Arc<dyn Store>,
        media: Arc<MediaStore>,
        config: &Config,
        count: usize,
    ) -> anyhow::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        if count == 0 {
            return Ok(WorkerPool { stop, threads: Vec::new() });
        }
        let model = Arc::new(speech_model(config, None, None));
        let threads = (0..count)
            .map(|index| {
                let (store, media, model, stop) = (store.clone(), media.clone(), model.clone(), stop.clone());
                let options = worker_options(config, index);
                std::thread::Builder::new().name(format!("rapport-worker-{index}")).spawn(move || {
                    pool_worker(&*store, &media, &model, &options, &stop);
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WorkerPool { stop, threads })
    }

    /// Asks the workers to stop and waits up to `grace` for them. A worker still in a job
    /// then is left behind (the process exits); its job's lease expires and it runs again.
    pub fn stop(self, grace: Duration) {
        self.stop.store(true, Ordering::Relaxed);
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            self.threads.into_iter().for_each(|thread| drop(thread.join()));
            let _ = done.send(());
        });
        if finished.recv_timeout(grace).is_err() {
            eprintln!("a transcription was still running; it will be picked up again");
        }
    }
}

fn pool_worker(
    store: &dyn Store,
    media: &MediaStore,
    model: &SpeechModel,
    options: &WorkerOptions,
    stop: &AtomicBool,
) {
    if let Err(error) = run_worker(store, media, model, options, stop) {
        tracing::error!(worker = %options.worker_id, %error, "the worker stopped");
    }
}
