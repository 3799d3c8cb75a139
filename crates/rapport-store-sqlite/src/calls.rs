//! Calls: creating one (resolving its natural keys), reading and listing them, and moving a
//! call's status. Writers run inside the caller's `BEGIN IMMEDIATE` transaction.

use rapport_domain::{
    AccountId, Call, CallId, CallRecord, CallSource, CallStatus, OpportunityId, Participant, PersonId, UserId,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use rapport_store::{CallQuery, StoreError};

use crate::convert::{self, millis, OrDatabaseError};
use crate::reads::for_each_row;

/// Columns of a call; [`call_from_row`] reads them by position.
const CALLS: &str = "
    SELECT c.id, c.external_id, c.title, c.started_at, c.duration_ms, c.source, c.participants,
           c.person_id, p.email, c.account_domain, c.account_id, c.opportunity_id, o.external_id,
           c.rep_id, u.email, c.audio_key, c.audio_content_type, c.status, c.failure, c.created_at
    FROM calls c
    LEFT JOIN people p ON p.id = c.person_id
    LEFT JOIN opportunities o ON o.id = c.opportunity_id
    LEFT JOIN users u ON u.id = c.rep_id";

fn call_from_row(row: &Row<'_>) -> Result<Call, StoreError> {
    let participants: String = row.get(6).or_db()?;
    let participants: Vec<Participant> = serde_json::from_str(&participants)
        .map_err(|e| StoreError::Database(format!("stored call participants cannot be read back: {e}")))?;
    let source: String = row.get(5).or_db()?;
    let status: String = row.get(17).or_db()?;
    Ok(Call {
        id: CallId(row.get(0).or_db()?),
        person_id: row.get::<_, Option<i64>>(7).or_db()?.map(PersonId),
        account_id: row.get::<_, Option<i64>>(10).or_db()?.map(AccountId),
        opportunity_id: row.get::<_, Option<i64>>(11).or_db()?.map(OpportunityId),
        rep_id: row.get::<_, Option<i64>>(13).or_db()?.map(UserId),
        record: CallRecord {
            external_id: row.get(1).or_db()?,
            title: row.get(2).or_db()?,
            started_at: convert::time(row.get(3).or_db()?)?,
            duration_ms: row.get(4).or_db()?,
            source: CallSource::parse(&source).ok_or_else(|| corrupt("call source", &source))?,
            participants,
            person_email: convert::optional_email(row.get(8).or_db()?)?,
            account_domain: row.get(9).or_db()?,
            opportunity_external_id: row.get(12).or_db()?,
            rep_email: convert::optional_email(row.get(14).or_db()?)?,
            audio_key: row.get(15).or_db()?,
            audio_content_type: row.get(16).or_db()?,
        },
        status: CallStatus::parse(&status).ok_or_else(|| corrupt("call status", &status))?,
        failure: row.get(18).or_db()?,
        created_at: convert::time(row.get(19).or_db()?)?,
    })
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Database(format!("stored {what} `{value}` cannot be read back"))
}

/// One id by one key, or `NotFound` naming what was looked for.
fn resolve(connection: &Connection, what: &'static str, sql: &str, key: &str) -> Result<i64, StoreError> {
    let found: Option<i64> =
        connection.prepare_cached(sql).or_db()?.query_row([key], |row| row.get(0)).optional().or_db()?;
    found.ok_or_else(|| StoreError::NotFound { what, key: key.to_owned() })
}

/// Inserts the call (status `queued`) and returns its id.
pub(crate) fn insert(connection: &Connection, record: &CallRecord, now: i64) -> Result<i64, StoreError> {
    record.check()?;
    let mut person_account = None;
    let person_id = match &record.person_email {
        Some(email) => {
            let (id, account): (Option<i64>, Option<i64>) = connection
                .prepare_cached("SELECT id, account_id FROM people WHERE email = ?1")
                .or_db()?
                .query_row([email.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
                .or_db()?
                .unwrap_or((None, None));
            person_account = account;
            Some(id.ok_or_else(|| StoreError::NotFound { what: "person", key: email.to_string() })?)
        }
        None => None,
    };
    let account_id = match &record.account_domain {
        Some(domain) => {
            Some(resolve(connection, "account", "SELECT id FROM accounts WHERE domain = ?1", domain)?)
        }
        None => person_account,
    };
    let opportunity_id = match &record.opportunity_external_id {
        Some(key) => Some(resolve(
            connection,
            "opportunity",
            "SELECT id FROM opportunities WHERE external_id = ?1",
            key,
        )?),
        None => None,
    };
    let rep_id = match &record.rep_email {
        Some(email) => {
            Some(resolve(connection, "user", "SELECT id FROM users WHERE email = ?1", email.as_str())?)
        }
        None => None,
    };
    let participants =
        serde_json::to_string(&record.participants).map_err(|e| StoreError::Database(e.to_string()))?;
    // DO NOTHING and then a look-up, as in the PostgreSQL backend: a taken external id is the
    // caller's error, named as such.
    let inserted: Option<i64> = connection
        .prepare_cached(
            "INSERT INTO calls (external_id, title, started_at, duration_ms, source, participants, person_id,
                                account_domain, account_id, opportunity_id, rep_id, audio_key,
                                audio_content_type, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'queued', ?14, ?14)
             ON CONFLICT (external_id) DO NOTHING
             RETURNING id",
        )
        .or_db()?
        .query_row(
            params![
                record.external_id,
                record.title,
                millis(record.started_at),
                record.duration_ms,
                record.source.as_str(),
                participants,
                person_id,
                record.account_domain,
                account_id,
                opportunity_id,
                rep_id,
                record.audio_key,
                record.audio_content_type,
                now,
            ],
            |row| row.get(0),
        )
        .optional()
        .or_db()?;
    match (inserted, &record.external_id) {
        (Some(id), _) => Ok(id),
        (None, Some(external_id)) => {
            let taken =
                resolve(connection, "call", "SELECT id FROM calls WHERE external_id = ?1", external_id)?;
            let message = format!("call {taken} already has the external id `{external_id}`");
            Err(StoreError::Invalid { field: "external_id".into(), message })
        }
        (None, None) => Err(StoreError::Database("the call insert returned no row".into())),
    }
}

pub(crate) fn call(connection: &Connection, id: i64) -> Result<Option<Call>, StoreError> {
    let mut found = None;
    for_each_row(connection, &format!("{CALLS} WHERE c.id = ?1"), &[&id], |row| {
        found = Some(call_from_row(row)?);
        Ok(())
    })?;
    Ok(found)
}

/// The call, which the caller knows to exist (it just wrote it).
pub(crate) fn existing(connection: &Connection, id: i64) -> Result<Call, StoreError> {
    call(connection, id)?.ok_or_else(|| StoreError::Database(format!("call {id} vanished after its write")))
}

pub(crate) fn list(connection: &Connection, query: &CallQuery) -> Result<Vec<Call>, StoreError> {
    // A limit of 0 means no limit (SQLite reads a negative limit that way).
    let limit = if query.limit == 0 { -1 } else { i64::from(query.limit) };
    let sql = format!(
        "{CALLS}
         WHERE (?1 IS NULL OR c.rep_id = ?1) AND (?2 IS NULL OR c.person_id = ?2)
           AND (?3 IS NULL OR c.account_id = ?3) AND (?4 IS NULL OR c.opportunity_id = ?4)
           AND (?5 IS NULL OR c.status = ?5)
         ORDER BY c.started_at DESC, c.id DESC LIMIT ?6 OFFSET ?7"
    );
    let (rep, person) = (query.rep.map(|r| r.0), query.person.map(|p| p.0));
    let (account, opportunity) = (query.account.map(|a| a.0), query.opportunity.map(|o| o.0));
    let status = query.status.map(CallStatus::as_str);
    let params: [&dyn rusqlite::ToSql; 7] =
        [&rep, &person, &account, &opportunity, &status, &limit, &i64::from(query.offset)];
    let mut calls = Vec::new();
    for_each_row(connection, &sql, &params, |row| {
        calls.push(call_from_row(row)?);
        Ok(())
    })?;
    Ok(calls)
}

/// Sets a call's status (and failure reason, kept only while `failed`); returns whether the
/// call changed, so the caller moves the revision only then.
pub(crate) fn set_status(
    connection: &Connection,
    id: i64,
    status: CallStatus,
    failure: Option<&str>,
    now: i64,
) -> Result<bool, StoreError> {
    let changed = connection
        .prepare_cached(
            "UPDATE calls SET status = ?2, failure = ?3, updated_at = ?4
             WHERE id = ?1 AND (status <> ?2 OR failure IS NOT ?3)",
        )
        .or_db()?
        .execute(params![id, status.as_str(), failure, now])
        .or_db()?;
    Ok(changed > 0)
}
