//! Job rows: enqueueing, reading and listing. The state changes (claim, heartbeat, complete,
//! fail) are in `queue.rs`.

use postgres::Row;
use rapport_domain::{CallId, Job, JobId, JobStatus, NewJob};

use rapport_store::{JobQuery, StoreError};

use crate::connection::Connection;
use crate::convert::{self, get, millis};

/// The columns [`job_from_row`] reads, for `SELECT` and `RETURNING` alike.
pub(crate) const JOB_COLUMNS: &str = "id, kind, payload, call_id, status, attempts, max_attempts, progress, \
     run_after, worker_id, lease_expires_at, last_error, created_at, updated_at, started_at, finished_at";

fn count(value: i32) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Database(format!("stored job count {value} is negative")))
}

pub(crate) fn job_from_row(row: &Row) -> Result<Job, StoreError> {
    let status: &str = get(row, 4)?;
    Ok(Job {
        id: JobId(get(row, 0)?),
        kind: get(row, 1)?,
        payload_json: get(row, 2)?,
        call_id: get::<Option<i64>>(row, 3)?.map(CallId),
        status: JobStatus::parse(status).ok_or_else(|| {
            StoreError::Database(format!("stored job status `{status}` cannot be read back"))
        })?,
        attempts: count(get(row, 5)?)?,
        max_attempts: count(get(row, 6)?)?,
        progress: get(row, 7)?,
        run_after: convert::time(get(row, 8)?)?,
        worker_id: get(row, 9)?,
        lease_expires_at: convert::optional_time(get(row, 10)?)?,
        last_error: get(row, 11)?,
        created_at: convert::time(get(row, 12)?)?,
        updated_at: convert::time(get(row, 13)?)?,
        started_at: convert::optional_time(get(row, 14)?)?,
        finished_at: convert::optional_time(get(row, 15)?)?,
    })
}

/// Inserts a queued job for `call` (which the caller has checked to exist) and returns it.
pub(crate) fn insert(
    connection: &mut Connection,
    job: &NewJob,
    call: Option<i64>,
    now: i64,
) -> Result<Job, StoreError> {
    job.check()?;
    let max_attempts = i32::try_from(job.max_attempts).unwrap_or(i32::MAX);
    let row = connection.query_one(
        &format!(
            "INSERT INTO jobs (kind, payload, call_id, status, max_attempts, run_after, due_at, created_at, updated_at)
             VALUES ($1, $2, $3, 'queued', $4, $5, $5, $6, $6)
             RETURNING {JOB_COLUMNS}"
        ),
        &[&job.kind, &job.payload_json, &call, &max_attempts, &millis(job.run_after), &now],
    )?;
    job_from_row(&row)
}

pub(crate) fn job(connection: &mut Connection, id: i64) -> Result<Option<Job>, StoreError> {
    let row = connection.query_opt(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"), &[&id])?;
    row.as_ref().map(job_from_row).transpose()
}

pub(crate) fn list(connection: &mut Connection, query: &JobQuery) -> Result<Vec<Job>, StoreError> {
    // A limit of 0 means no limit (LIMIT NULL in PostgreSQL).
    let limit = (query.limit > 0).then(|| i64::from(query.limit));
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
           AND ($3::bigint IS NULL OR call_id = $3)
         ORDER BY id DESC LIMIT $4 OFFSET $5"
    );
    let status = query.status.map(JobStatus::as_str);
    let call = query.call.map(|c| c.0);
    let rows = connection.query(&sql, &[&status, &query.kind, &call, &limit, &i64::from(query.offset)])?;
    rows.iter().map(job_from_row).collect()
}
