//! The durable job queue's values: a job to enqueue, a stored job, the lease a worker holds
//! while running one, and the retry rule (exponential backoff, capped).
//!
//! A job's life: `queued` → (claimed) `running` → `succeeded`, or back to `queued` after a
//! retryable failure (until its attempts are spent), or `failed`. A running job whose lease
//! expires (its worker was killed) is claimable again, as a new attempt.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::calls::{no_nul, InvalidField};
use crate::{CallId, JobId, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [Self::Queued, Self::Running, Self::Succeeded, Self::Failed].into_iter().find(|s| s.as_str() == input)
    }
}

/// Attempts a job gets unless its enqueuer says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewJob {
    /// What the job does (`transcribe_call`); workers claim by kind.
    pub kind: String,
    /// The job's parameters as JSON text, kept verbatim.
    pub payload_json: String,
    /// The call this job produces the transcript of; its status then follows the job's.
    pub call: Option<CallId>,
    /// Not claimable before this time.
    pub run_after: Timestamp,
    /// Claims allowed in all (the first run included); at least 1.
    pub max_attempts: u32,
}

impl NewJob {
    /// A job for no call, with [`DEFAULT_MAX_ATTEMPTS`].
    pub fn new(kind: impl Into<String>, payload_json: impl Into<String>, run_after: Timestamp) -> Self {
        Self {
            kind: kind.into(),
            payload_json: payload_json.into(),
            call: None,
            run_after,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// The checks every store makes before enqueueing.
    pub fn check(&self) -> Result<(), InvalidField> {
        if self.kind.trim().is_empty() {
            return Err(InvalidField::new("kind", "a job needs a kind"));
        }
        no_nul("kind", Some(&self.kind))?;
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&self.payload_json) {
            return Err(InvalidField::new("payload", format!("is not JSON: {error}")));
        }
        no_nul("payload", Some(&self.payload_json))?;
        if self.max_attempts == 0 {
            return Err(InvalidField::new("max_attempts", "a job needs at least one attempt"));
        }
        Ok(())
    }
}

/// A stored job, as `rapport jobs list` and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload_json: String,
    pub call_id: Option<CallId>,
    pub status: JobStatus,
    /// Claims so far (each run, reclaims after an expired lease included).
    pub attempts: u32,
    pub max_attempts: u32,
    /// Share of the work done, 0 to 1, as the worker last reported it.
    pub progress: f64,
    /// When the job becomes (or became) claimable; after a failure, the retry time.
    pub run_after: Timestamp,
    /// The worker running it, or that ran it last.
    pub worker_id: Option<String>,
    /// While running: when the worker's lease ends unless it heartbeats.
    pub lease_expires_at: Option<Timestamp>,
    /// The reason of the latest failure, kept after retries and when the job fails for good.
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Start of the latest attempt.
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// What a worker holds while it runs a job. `attempt` fences stale holders: once the lease
/// expires and the job is claimed again (even by a worker with the same id), the old lease's
/// heartbeat, completion and failure are refused, so the old worker stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobLease {
    pub job: JobId,
    pub worker_id: String,
    pub attempt: u32,
}

/// A claimed job and the lease to report on it with.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub job: Job,
    pub lease: JobLease,
}

/// Retry delays: `base × 2^(attempts − 1)`, at most `max`, so the first retry waits `base`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    /// 30 s, 1 min, 2 min, … up to an hour: long enough for a model download or a busy
    /// object store to recover, short enough that a transient failure costs minutes.
    fn default() -> Self {
        Self { base: Duration::from_secs(30), max: Duration::from_secs(3600) }
    }
}

impl Backoff {
    /// The wait after the failure of attempt number `attempts` (from 1).
    pub fn delay(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        self.base.saturating_mul(1 << doublings).min(self.max)
    }
}

/// Whether a failed job may run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// The failure will not go away by retrying (corrupt audio): fail the job now.
    Never,
    /// Run again after the backoff's delay, while attempts remain.
    Backoff(Backoff),
}

/// A failure reason as stored: NUL characters replaced (PostgreSQL text refuses them, and a
/// failure must never fail to be recorded) and cut to [`MAX_REASON_CHARS`].
pub fn storable_reason(reason: &str) -> String {
    reason.chars().take(MAX_REASON_CHARS).map(|c| if c == '\0' { '\u{FFFD}' } else { c }).collect()
}

pub const MAX_REASON_CHARS: usize = 4000;

/// Milliseconds of a duration, saturating (for leases and delays added to stored times).
pub fn duration_millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_base_and_caps() {
        let backoff = Backoff { base: Duration::from_secs(10), max: Duration::from_secs(60) };
        let delays: Vec<u64> = (1..=6).map(|a| backoff.delay(a).as_secs()).collect();
        assert_eq!(delays, vec![10, 20, 40, 60, 60, 60]);
        assert_eq!(backoff.delay(0).as_secs(), 10);
        assert_eq!(backoff.delay(u32::MAX).as_secs(), 60);
    }

    #[test]
    fn new_jobs_are_checked() {
        let at = chrono::DateTime::UNIX_EPOCH;
        let check = |job: NewJob| job.check().map_err(|e| e.field);
        assert_eq!(check(NewJob::new("transcribe_call", r#"{"call":1}"#, at)), Ok(()));
        assert_eq!(check(NewJob::new(" ", "{}", at)), Err("kind".to_owned()));
        assert_eq!(check(NewJob::new("x", "{not json", at)), Err("payload".to_owned()));
        assert_eq!(
            check(NewJob { max_attempts: 0, ..NewJob::new("x", "{}", at) }),
            Err("max_attempts".to_owned())
        );
    }

    #[test]
    fn reasons_are_made_storable() {
        assert_eq!(storable_reason("a\0b"), "a\u{FFFD}b");
        assert_eq!(storable_reason(&"x".repeat(5000)).chars().count(), MAX_REASON_CHARS);
    }
}
