//! The job queue's state changes. SQLite has one writer at a time, so a claim is simply
//! `BEGIN IMMEDIATE` (take the write lock) and one `UPDATE … WHERE id = (SELECT … LIMIT 1)
//! RETURNING …`: no other claimer can run between choosing the job and taking it. Enough for
//! one node; several machines need the PostgreSQL backend.

use std::time::Duration;

use rapport_domain::jobs::{duration_millis, storable_reason};
use rapport_domain::{CallStatus, ClaimedJob, Job, JobLease, JobStatus, NewJob, Retry, Timestamp};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use rapport_store::StoreError;

use crate::convert::{millis, OrDatabaseError};
use crate::jobs::{self, JOB_COLUMNS};
use crate::{calls, revision, transcripts};

/// Matches the job a lease names only while that claim still holds it.
const HELD: &str = "id = ?1 AND status = 'running' AND worker_id = ?2 AND attempts = ?3";

pub(crate) fn enqueue(connection: &mut Connection, job: &NewJob, now: Timestamp) -> Result<Job, StoreError> {
    let now = millis(now);
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
    let call = job.call.map(|c| c.0);
    if let Some(call) = call {
        if !transcripts::call_exists(&transaction, call)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
    }
    let inserted = jobs::insert(&transaction, job, call, now)?;
    if let Some(call) = call {
        if calls::set_status(&transaction, call, CallStatus::Queued, None, now)? {
            revision::bump(&transaction)?;
        }
    }
    transaction.commit().or_db()?;
    Ok(inserted)
}

pub(crate) fn claim(
    connection: &mut Connection,
    worker_id: &str,
    kinds: &[&str],
    lease: Duration,
    now: Timestamp,
) -> Result<Option<ClaimedJob>, StoreError> {
    rapport_store::keys::check_worker_id(worker_id)?;
    let lease_ms = duration_millis(lease);
    if lease_ms <= 0 {
        return Err(StoreError::Invalid { field: "lease".into(), message: "must be at least 1 ms".into() });
    }
    let kinds = serde_json::to_string(kinds).map_err(|e| StoreError::Database(e.to_string()))?;
    let now = millis(now);
    // Idle workers poll; a read (which never waits in WAL mode) keeps an empty poll from
    // taking the write lock and queueing behind an import's batch.
    let due: bool = connection
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM jobs WHERE due_at <= ?1)")
        .or_db()?
        .query_row([now], |row| row.get(0))
        .or_db()?;
    if !due {
        return Ok(None);
    }
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
    let mut call_changed = false;
    // A job whose worker died on its last attempt would otherwise stay `running` for ever.
    let spent: Vec<(Option<i64>, String)> = transaction
        .prepare_cached(
            "UPDATE jobs SET status = 'failed', due_at = NULL, lease_expires_at = NULL, finished_at = ?1,
                 updated_at = ?1,
                 last_error = 'attempt ' || attempts || ' of ' || max_attempts || ' stopped reporting: the lease of worker `'
                     || worker_id || '` expired (was it killed?)'
             WHERE due_at <= ?1 AND status = 'running' AND attempts >= max_attempts
             RETURNING call_id, last_error",
        )
        .or_db()?
        .query_map([now], |row| Ok((row.get(0)?, row.get(1)?)))
        .or_db()?
        .collect::<Result<_, _>>()
        .or_db()?;
    for (call, reason) in spent {
        if let Some(call) = call {
            call_changed |= calls::set_status(&transaction, call, CallStatus::Failed, Some(&reason), now)?;
        }
    }
    let sql = format!(
        "UPDATE jobs SET status = 'running', worker_id = ?1, attempts = attempts + 1, lease_ms = ?2,
             lease_expires_at = ?3 + ?2, due_at = ?3 + ?2, progress = 0, started_at = ?3, updated_at = ?3,
             last_error = CASE WHEN status = 'running'
                 THEN 'attempt ' || attempts || ' stopped reporting: the lease of worker `' || worker_id || '` expired'
                 ELSE last_error END
         WHERE id = (SELECT id FROM jobs
                     WHERE due_at <= ?3 AND (status = 'queued' OR attempts < max_attempts)
                       AND (?4 = '[]' OR kind IN (SELECT value FROM json_each(?4)))
                     ORDER BY due_at, id LIMIT 1)
         RETURNING {JOB_COLUMNS}"
    );
    let claimed = jobs::updated(&transaction, &sql, params![worker_id, lease_ms, now, kinds])?;
    if let Some(call) = claimed.as_ref().and_then(|job| job.call_id) {
        call_changed |= calls::set_status(&transaction, call.0, CallStatus::Transcribing, None, now)?;
    }
    if call_changed {
        revision::bump(&transaction)?;
    }
    transaction.commit().or_db()?;
    Ok(claimed.map(|job| {
        let lease = JobLease { job: job.id, worker_id: worker_id.to_owned(), attempt: job.attempts };
        ClaimedJob { job, lease }
    }))
}

pub(crate) fn heartbeat(
    connection: &Connection,
    lease: &JobLease,
    progress: f64,
    now: Timestamp,
) -> Result<Job, StoreError> {
    if !(0.0..=1.0).contains(&progress) {
        return Err(StoreError::Invalid {
            field: "progress".into(),
            message: format!("{progress} is not between 0 and 1"),
        });
    }
    let sql = format!(
        "UPDATE jobs SET progress = ?4, lease_expires_at = ?5 + lease_ms, due_at = ?5 + lease_ms, updated_at = ?5
         WHERE {HELD} RETURNING {JOB_COLUMNS}"
    );
    let job = jobs::updated(
        connection,
        &sql,
        params![lease.job.0, lease.worker_id, lease.attempt, progress, millis(now)],
    )?;
    job.map_or_else(|| Err(not_held(connection, lease)), Ok)
}

pub(crate) fn complete(connection: &Connection, lease: &JobLease, now: Timestamp) -> Result<Job, StoreError> {
    let sql = format!(
        "UPDATE jobs SET status = 'succeeded', progress = 1, due_at = NULL, lease_expires_at = NULL,
             finished_at = ?4, updated_at = ?4
         WHERE {HELD} RETURNING {JOB_COLUMNS}"
    );
    let job =
        jobs::updated(connection, &sql, params![lease.job.0, lease.worker_id, lease.attempt, millis(now)])?;
    job.map_or_else(|| Err(not_held(connection, lease)), Ok)
}

pub(crate) fn fail(
    connection: &mut Connection,
    lease: &JobLease,
    reason: &str,
    retry: Retry,
    now: Timestamp,
) -> Result<Job, StoreError> {
    let reason = storable_reason(reason);
    let now = millis(now);
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
    let held: Option<(u32, u32)> = transaction
        .prepare_cached(&format!("SELECT attempts, max_attempts FROM jobs WHERE {HELD}"))
        .or_db()?
        .query_row(params![lease.job.0, lease.worker_id, lease.attempt], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
        .or_db()?;
    let Some((attempts, max_attempts)) = held else { return Err(not_held(&transaction, lease)) };
    let retry_at = match retry {
        Retry::Backoff(backoff) if attempts < max_attempts => {
            Some(now.saturating_add(duration_millis(backoff.delay(attempts))))
        }
        _ => None,
    };
    let sql = format!(
        "UPDATE jobs SET status = CASE WHEN ?2 IS NULL THEN 'failed' ELSE 'queued' END,
             run_after = COALESCE(?2, run_after), due_at = ?2, lease_expires_at = NULL, last_error = ?3,
             progress = CASE WHEN ?2 IS NULL THEN progress ELSE 0 END,
             finished_at = CASE WHEN ?2 IS NULL THEN ?4 END, updated_at = ?4
         WHERE id = ?1 RETURNING {JOB_COLUMNS}"
    );
    let job = jobs::updated(&transaction, &sql, params![lease.job.0, retry_at, reason, now])?
        .ok_or_else(|| StoreError::Database(format!("job {} vanished while failing it", lease.job)))?;
    if let Some(call) = job.call_id {
        let (status, failure) = match job.status {
            JobStatus::Failed => (CallStatus::Failed, Some(reason.as_str())),
            _ => (CallStatus::Queued, None),
        };
        if calls::set_status(&transaction, call.0, status, failure, now)? {
            revision::bump(&transaction)?;
        }
    }
    transaction.commit().or_db()?;
    Ok(job)
}

/// Why a lease matched nothing: the job is gone (`NotFound`) or held by another claim.
fn not_held(connection: &Connection, lease: &JobLease) -> StoreError {
    match jobs::job(connection, lease.job.0) {
        Ok(Some(_)) => StoreError::JobNotHeld {
            job: lease.job,
            worker_id: lease.worker_id.clone(),
            attempt: lease.attempt,
        },
        Ok(None) => StoreError::NotFound { what: "job", key: lease.job.to_string() },
        Err(error) => error,
    }
}
