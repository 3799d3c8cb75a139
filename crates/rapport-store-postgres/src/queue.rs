//! The job queue's state changes. Any number of workers on any number of machines claim
//! concurrently: the claim picks the due job with `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1`
//! inside an `UPDATE … WHERE id = (…) RETURNING …`, so a job another claimer has just locked
//! is skipped instead of waited for, and no two claimers get the same job.

use std::time::Duration;

use rapport_domain::jobs::{duration_millis, storable_reason};
use rapport_domain::{CallStatus, ClaimedJob, Job, JobLease, JobStatus, NewJob, Retry, Timestamp};

use rapport_store::StoreError;

use crate::connection::{Connection, Transaction};
use crate::convert::{get, millis};
use crate::jobs::{self, job_from_row, JOB_COLUMNS};
use crate::{calls, revision, transcripts};

/// Matches the job a lease names only while that claim still holds it.
const HELD: &str = "id = $1 AND status = 'running' AND worker_id = $2 AND attempts = $3";

fn attempt(lease: &JobLease) -> i32 {
    // An attempt number past i32 never matches a stored one, which is the right answer.
    i32::try_from(lease.attempt).unwrap_or(-1)
}

pub(crate) fn enqueue(connection: &mut Connection, job: &NewJob, now: Timestamp) -> Result<Job, StoreError> {
    let now = millis(now);
    let mut transaction = Transaction::begin(connection, "BEGIN")?;
    let call = job.call.map(|c| c.0);
    if let Some(call) = call {
        // Locked first: the status update below would otherwise upgrade the foreign-key
        // check's share lock, and two such upgrades deadlock.
        if !transcripts::lock_call(&mut transaction, call)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
    }
    let inserted = jobs::insert(&mut transaction, job, call, now)?;
    if let Some(call) = call {
        if calls::set_status(&mut transaction, call, CallStatus::Queued, None, now)? {
            revision::bump(&mut transaction)?;
        }
    }
    transaction.commit()?;
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
    let now = millis(now);
    let mut transaction = Transaction::begin(connection, "BEGIN")?;
    let mut call_changed = false;
    // A job whose worker died on its last attempt would otherwise stay `running` for ever.
    // SKIP LOCKED here too: a job another claimer is sweeping is that claimer's to fail.
    let spent = transaction.query(
        "UPDATE jobs j SET status = 'failed', due_at = NULL, lease_expires_at = NULL, finished_at = $1,
             updated_at = $1,
             last_error = 'attempt ' || j.attempts || ' of ' || j.max_attempts
                 || ' stopped reporting: the lease of worker `' || j.worker_id || '` expired (was it killed?)'
         FROM (SELECT id FROM jobs WHERE due_at <= $1 AND status = 'running' AND attempts >= max_attempts
               FOR UPDATE SKIP LOCKED) spent
         WHERE j.id = spent.id
         RETURNING j.call_id, j.last_error",
        &[&now],
    )?;
    for row in &spent {
        if let Some(call) = get::<Option<i64>>(row, 0)? {
            let reason: String = get(row, 1)?;
            call_changed |=
                calls::set_status(&mut transaction, call, CallStatus::Failed, Some(&reason), now)?;
        }
    }
    let sql = format!(
        "UPDATE jobs SET status = 'running', worker_id = $1, attempts = attempts + 1, lease_ms = $2,
             lease_expires_at = $3 + $2, due_at = $3 + $2, progress = 0, started_at = $3, updated_at = $3,
             last_error = CASE WHEN status = 'running'
                 THEN 'attempt ' || attempts || ' stopped reporting: the lease of worker `' || worker_id || '` expired'
                 ELSE last_error END
         WHERE id = (SELECT id FROM jobs
                     WHERE due_at <= $3 AND (status = 'queued' OR attempts < max_attempts)
                       AND (cardinality($4::text[]) = 0 OR kind = ANY($4))
                     ORDER BY due_at, id LIMIT 1
                     FOR UPDATE SKIP LOCKED)
         RETURNING {JOB_COLUMNS}"
    );
    let claimed = transaction.query_opt(&sql, &[&worker_id, &lease_ms, &now, &kinds])?;
    let claimed = claimed.as_ref().map(job_from_row).transpose()?;
    if let Some(call) = claimed.as_ref().and_then(|job| job.call_id) {
        call_changed |= calls::set_status(&mut transaction, call.0, CallStatus::Transcribing, None, now)?;
    }
    if call_changed {
        revision::bump(&mut transaction)?;
    }
    transaction.commit()?;
    Ok(claimed.map(|job| {
        let lease = JobLease { job: job.id, worker_id: worker_id.to_owned(), attempt: job.attempts };
        ClaimedJob { job, lease }
    }))
}

pub(crate) fn heartbeat(
    connection: &mut Connection,
    lease: &JobLease,
    progress: f64,
    now: Timestamp,
) -> Result<Job, StoreError> {
    if !(0.0..=1.0).contains(&progress) {
        let message = format!("{progress} is not between 0 and 1");
        return Err(StoreError::Invalid { field: "progress".into(), message });
    }
    let sql = format!(
        "UPDATE jobs SET progress = $4, lease_expires_at = $5 + lease_ms, due_at = $5 + lease_ms, updated_at = $5
         WHERE {HELD} RETURNING {JOB_COLUMNS}"
    );
    let row = connection
        .query_opt(&sql, &[&lease.job.0, &lease.worker_id, &attempt(lease), &progress, &millis(now)])?;
    match row {
        Some(row) => job_from_row(&row),
        None => Err(not_held(connection, lease)),
    }
}

pub(crate) fn complete(
    connection: &mut Connection,
    lease: &JobLease,
    now: Timestamp,
) -> Result<Job, StoreError> {
    let sql = format!(
        "UPDATE jobs SET status = 'succeeded', progress = 1, due_at = NULL, lease_expires_at = NULL,
             finished_at = $4, updated_at = $4
         WHERE {HELD} RETURNING {JOB_COLUMNS}"
    );
    match connection.query_opt(&sql, &[&lease.job.0, &lease.worker_id, &attempt(lease), &millis(now)])? {
        Some(row) => job_from_row(&row),
        None => Err(not_held(connection, lease)),
    }
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
    let mut transaction = Transaction::begin(connection, "BEGIN")?;
    let held = transaction.query_opt(
        &format!("SELECT attempts, max_attempts FROM jobs WHERE {HELD} FOR UPDATE"),
        &[&lease.job.0, &lease.worker_id, &attempt(lease)],
    )?;
    let Some(held) = held else { return Err(not_held(&mut transaction, lease)) };
    let (attempts, max_attempts): (i32, i32) = (get(&held, 0)?, get(&held, 1)?);
    let retry_at: Option<i64> = match retry {
        Retry::Backoff(backoff) if attempts < max_attempts => {
            let delay = backoff.delay(u32::try_from(attempts).unwrap_or(0));
            Some(now.saturating_add(duration_millis(delay)))
        }
        _ => None,
    };
    let sql = format!(
        "UPDATE jobs SET status = CASE WHEN $2::bigint IS NULL THEN 'failed' ELSE 'queued' END,
             run_after = COALESCE($2, run_after), due_at = $2, lease_expires_at = NULL, last_error = $3,
             progress = CASE WHEN $2::bigint IS NULL THEN progress ELSE 0 END,
             finished_at = CASE WHEN $2::bigint IS NULL THEN $4::bigint END, updated_at = $4
         WHERE id = $1 RETURNING {JOB_COLUMNS}"
    );
    let row = transaction.query_one(&sql, &[&lease.job.0, &retry_at, &reason, &now])?;
    let job = job_from_row(&row)?;
    if let Some(call) = job.call_id {
        let (status, failure) = match job.status {
            JobStatus::Failed => (CallStatus::Failed, Some(reason.as_str())),
            _ => (CallStatus::Queued, None),
        };
        if calls::set_status(&mut transaction, call.0, status, failure, now)? {
            revision::bump(&mut transaction)?;
        }
    }
    transaction.commit()?;
    Ok(job)
}

/// Why a lease matched nothing: the job is gone (`NotFound`) or held by another claim.
fn not_held(connection: &mut Connection, lease: &JobLease) -> StoreError {
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
