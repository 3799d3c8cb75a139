//! A running job's heartbeat: a thread that reports progress and extends the lease at a
//! steady pace, whatever the transcription is doing, and notices when the lease was lost.
//!
//! A thread rather than the progress callback: the speech engine reports progress once per
//! 30-second window, and a window on a slow or busy CPU can take longer than a lease, so
//! heartbeats tied to callbacks could let a healthy job's lease expire.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use rapport_domain::JobLease;
use rapport_store::{Store, StoreError};

/// The state shared between a job and its heartbeat thread.
#[derive(Debug, Default)]
pub(crate) struct JobPulse {
    /// Share of the audio done, as `f64` bits: atomics have no floats.
    progress: AtomicU64,
    lost: AtomicBool,
}

impl JobPulse {
    pub(crate) fn set_progress(&self, share: f64) {
        self.progress.store(share.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    }

    fn progress(&self) -> f64 {
        f64::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// Whether another worker took the job over (our lease expired and it was claimed).
    pub(crate) fn lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }
}

/// Runs `work` while a heartbeat thread reports `pulse`'s progress every `interval`. The
/// thread stops as soon as `work` returns (dropping the sender wakes it).
pub(crate) fn with_heartbeat<T>(
    store: &dyn Store,
    lease: &JobLease,
    interval: Duration,
    pulse: &JobPulse,
    work: impl FnOnce() -> T,
) -> T {
    std::thread::scope(|scope| {
        let (done, wake) = mpsc::channel::<()>();
        scope.spawn(move || loop {
            match wake.recv_timeout(interval) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
            }
            match store.heartbeat_job(lease, pulse.progress(), chrono::Utc::now()) {
                Ok(_) => {}
                Err(StoreError::JobNotHeld { .. }) => {
                    tracing::warn!(job = %lease.job, "lease lost: another worker took the job over");
                    pulse.lost.store(true, Ordering::Relaxed);
                    return;
                }
                // A database hiccup: the lease has slack for a few missed beats.
                Err(error) => tracing::warn!(job = %lease.job, %error, "heartbeat failed"),
            }
        });
        let result = work();
        drop(done);
        result
    })
}
