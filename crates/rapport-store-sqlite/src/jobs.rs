//! Job rows: enqueueing, reading and listing. The state changes (claim, heartbeat, complete,
//! fail) are in `queue.rs`.

use rapport_domain::{CallId, Job, JobId, JobStatus, NewJob};
use rusqlite::{params, Connection, Row};

use rapport_store::{JobQuery, StoreError};

use crate::convert::{self, millis, OrDatabaseError};
use crate::reads::for_each_row;

/// The columns [`job_from_row`] reads, for `SELECT` and `RETURNING` alike.
pub(crate) const JOB_COLUMNS: &str = "id, kind, payload, call_id, status, attempts, max_attempts, progress, \
     run_after, worker_id, lease_expires_at, last_error, created_at, updated_at, started_at, finished_at";

pub(crate) fn job_from_row(row: &Row<'_>) -> Result<Job, StoreError> {
    let status: String = row.get(4).or_db()?;
    Ok(Job {
        id: JobId(row.get(0).or_db()?),
        kind: row.get(1).or_db()?,
        payload_json: row.get(2).or_db()?,
        call_id: row.get::<_, Option<i64>>(3).or_db()?.map(CallId),
        status: JobStatus::parse(&status).ok_or_else(|| {
            StoreError::Database(format!("stored job status `{status}` cannot be read back"))
        })?,
        attempts: row.get(5).or_db()?,
        max_attempts: row.get(6).or_db()?,
        progress: row.get(7).or_db()?,
        run_after: convert::time(row.get(8).or_db()?)?,
        worker_id: row.get(9).or_db()?,
        lease_expires_at: convert::optional_time(row.get(10).or_db()?)?,
        last_error: row.get(11).or_db()?,
        created_at: convert::time(row.get(12).or_db()?)?,
        updated_at: convert::time(row.get(13).or_db()?)?,
        started_at: convert::optional_time(row.get(14).or_db()?)?,
        finished_at: convert::optional_time(row.get(15).or_db()?)?,
    })
}

/// Inserts a queued job for `call` (which the caller has checked to exist) and returns it.
pub(crate) fn insert(
    connection: &Connection,
    job: &NewJob,
    call: Option<i64>,
    now: i64,
) -> Result<Job, StoreError> {
    job.check()?;
    let sql = format!(
        "INSERT INTO jobs (kind, payload, call_id, status, max_attempts, run_after, due_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?5, ?6, ?6)
         RETURNING {JOB_COLUMNS}"
    );
    updated(
        connection,
        &sql,
        params![job.kind, job.payload_json, call, job.max_attempts, millis(job.run_after), now],
    )?
    .ok_or_else(|| StoreError::Database("the job insert returned no row".into()))
}

pub(crate) fn job(connection: &Connection, id: i64) -> Result<Option<Job>, StoreError> {
    let mut found = None;
    for_each_row(connection, &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"), &[&id], |row| {
        found = Some(job_from_row(row)?);
        Ok(())
    })?;
    Ok(found)
}

pub(crate) fn list(connection: &Connection, query: &JobQuery) -> Result<Vec<Job>, StoreError> {
    // A limit of 0 means no limit (SQLite reads a negative limit that way).
    let limit = if query.limit == 0 { -1 } else { i64::from(query.limit) };
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR call_id = ?3)
         ORDER BY id DESC LIMIT ?4 OFFSET ?5"
    );
    let status = query.status.map(JobStatus::as_str);
    let call = query.call.map(|c| c.0);
    let params: [&dyn rusqlite::ToSql; 5] = [&status, &query.kind, &call, &limit, &i64::from(query.offset)];
    let mut jobs = Vec::new();
    for_each_row(connection, &sql, &params, |row| {
        jobs.push(job_from_row(row)?);
        Ok(())
    })?;
    Ok(jobs)
}

/// The first row of an `UPDATE … RETURNING` of job columns, if any row matched.
pub(crate) fn updated(
    connection: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Option<Job>, StoreError> {
    let mut statement = connection.prepare_cached(sql).or_db()?;
    let mut rows = statement.query(params).or_db()?;
    let job = match rows.next().or_db()? {
        Some(row) => Some(job_from_row(row)?),
        None => None,
    };
    // Step to the end so the statement completes before the transaction moves on.
    while rows.next().or_db()?.is_some() {}
    Ok(job)
}
