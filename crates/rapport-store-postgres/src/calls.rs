//! Calls: creating one (resolving its natural keys), reading and listing them, and moving a
//! call's status. Writers run inside the caller's transaction.

use postgres::Row;
use rapport_domain::{
    AccountId, Call, CallId, CallRecord, CallSource, CallStatus, OpportunityId, Participant, PersonId, UserId,
};

use rapport_store::{CallQuery, StoreError};

use crate::connection::Connection;
use crate::convert::{self, get, millis};

/// Columns of a call; [`call_from_row`] reads them by position.
const CALLS: &str = "
    SELECT c.id, c.external_id, c.title, c.started_at, c.duration_ms, c.source, c.participants,
           c.person_id, p.email, c.account_domain, c.account_id, c.opportunity_id, o.external_id,
           c.rep_id, u.email, c.audio_key, c.audio_content_type, c.status, c.failure, c.created_at
    FROM calls c
    LEFT JOIN people p ON p.id = c.person_id
    LEFT JOIN opportunities o ON o.id = c.opportunity_id
    LEFT JOIN users u ON u.id = c.rep_id";

fn call_from_row(row: &Row) -> Result<Call, StoreError> {
    let participants: Vec<Participant> = serde_json::from_str(get(row, 6)?)
        .map_err(|e| StoreError::Database(format!("stored call participants cannot be read back: {e}")))?;
    let source: &str = get(row, 5)?;
    let status: &str = get(row, 17)?;
    Ok(Call {
        id: CallId(get(row, 0)?),
        person_id: get::<Option<i64>>(row, 7)?.map(PersonId),
        account_id: get::<Option<i64>>(row, 10)?.map(AccountId),
        opportunity_id: get::<Option<i64>>(row, 11)?.map(OpportunityId),
        rep_id: get::<Option<i64>>(row, 13)?.map(UserId),
        record: CallRecord {
            external_id: get(row, 1)?,
            title: get(row, 2)?,
            started_at: convert::time(get(row, 3)?)?,
            duration_ms: get(row, 4)?,
            source: CallSource::parse(source).ok_or_else(|| corrupt("call source", source))?,
            participants,
            person_email: convert::optional_email(get(row, 8)?)?,
            account_domain: get(row, 9)?,
            opportunity_external_id: get(row, 12)?,
            rep_email: convert::optional_email(get(row, 14)?)?,
            audio_key: get(row, 15)?,
            audio_content_type: get(row, 16)?,
        },
        status: CallStatus::parse(status).ok_or_else(|| corrupt("call status", status))?,
        failure: get(row, 18)?,
        created_at: convert::time(get(row, 19)?)?,
    })
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Database(format!("stored {what} `{value}` cannot be read back"))
}

/// One id by one key, or `NotFound` naming what was looked for.
fn resolve(connection: &mut Connection, what: &'static str, sql: &str, key: &str) -> Result<i64, StoreError> {
    match connection.query_opt(sql, &[&key])? {
        Some(row) => get(&row, 0),
        None => Err(StoreError::NotFound { what, key: key.to_owned() }),
    }
}

/// Inserts the call (status `queued`) and returns its id.
pub(crate) fn insert(connection: &mut Connection, record: &CallRecord, now: i64) -> Result<i64, StoreError> {
    record.check()?;
    let mut person_account = None;
    let person_id = match &record.person_email {
        Some(email) => {
            let row = connection
                .query_opt("SELECT id, account_id FROM people WHERE email = $1", &[&email.as_str()])?;
            let row = row.ok_or_else(|| StoreError::NotFound { what: "person", key: email.to_string() })?;
            person_account = get(&row, 1)?;
            Some(get::<i64>(&row, 0)?)
        }
        None => None,
    };
    let account_id = match &record.account_domain {
        Some(domain) => {
            Some(resolve(connection, "account", "SELECT id FROM accounts WHERE domain = $1", domain)?)
        }
        None => person_account,
    };
    let opportunity_id = match &record.opportunity_external_id {
        Some(key) => Some(resolve(
            connection,
            "opportunity",
            "SELECT id FROM opportunities WHERE external_id = $1",
            key,
        )?),
        None => None,
    };
    let rep_id = match &record.rep_email {
        Some(email) => {
            Some(resolve(connection, "user", "SELECT id FROM users WHERE email = $1", email.as_str())?)
        }
        None => None,
    };
    let participants =
        serde_json::to_string(&record.participants).map_err(|e| StoreError::Database(e.to_string()))?;
    // DO NOTHING instead of a unique violation (which would abort the transaction): a taken
    // external id is the caller's error, also when another transaction took it just now.
    let row = connection.query_opt(
        "INSERT INTO calls (external_id, title, started_at, duration_ms, source, participants, person_id,
                            account_domain, account_id, opportunity_id, rep_id, audio_key,
                            audio_content_type, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'queued', $14, $14)
         ON CONFLICT (external_id) DO NOTHING
         RETURNING id",
        &[
            &record.external_id,
            &record.title,
            &millis(record.started_at),
            &record.duration_ms,
            &record.source.as_str(),
            &participants,
            &person_id,
            &record.account_domain,
            &account_id,
            &opportunity_id,
            &rep_id,
            &record.audio_key,
            &record.audio_content_type,
            &now,
        ],
    )?;
    match (row, &record.external_id) {
        (Some(row), _) => get(&row, 0),
        (None, Some(external_id)) => {
            let taken =
                connection.query_one("SELECT id FROM calls WHERE external_id = $1", &[external_id])?;
            let message =
                format!("call {} already has the external id `{external_id}`", get::<i64>(&taken, 0)?);
            Err(StoreError::Invalid { field: "external_id".into(), message })
        }
        (None, None) => Err(StoreError::Database("the call insert returned no row".into())),
    }
}

pub(crate) fn call(connection: &mut Connection, id: i64) -> Result<Option<Call>, StoreError> {
    let row = connection.query_opt(&format!("{CALLS} WHERE c.id = $1"), &[&id])?;
    row.as_ref().map(call_from_row).transpose()
}

/// The call, which the caller knows to exist (it just wrote it).
pub(crate) fn existing(connection: &mut Connection, id: i64) -> Result<Call, StoreError> {
    call(connection, id)?.ok_or_else(|| StoreError::Database(format!("call {id} vanished after its write")))
}

pub(crate) fn list(connection: &mut Connection, query: &CallQuery) -> Result<Vec<Call>, StoreError> {
    // A limit of 0 means no limit (LIMIT NULL in PostgreSQL).
    let limit = (query.limit > 0).then(|| i64::from(query.limit));
    let sql = format!(
        "{CALLS}
         WHERE ($1::bigint IS NULL OR c.rep_id = $1) AND ($2::bigint IS NULL OR c.person_id = $2)
           AND ($3::bigint IS NULL OR c.account_id = $3) AND ($4::bigint IS NULL OR c.opportunity_id = $4)
           AND ($5::text IS NULL OR c.status = $5)
         ORDER BY c.started_at DESC, c.id DESC LIMIT $6 OFFSET $7"
    );
    let (rep, person) = (query.rep.map(|r| r.0), query.person.map(|p| p.0));
    let (account, opportunity) = (query.account.map(|a| a.0), query.opportunity.map(|o| o.0));
    let status = query.status.map(CallStatus::as_str);
    let rows = connection
        .query(&sql, &[&rep, &person, &account, &opportunity, &status, &limit, &i64::from(query.offset)])?;
    rows.iter().map(call_from_row).collect()
}

/// Sets a call's status (and failure reason, kept only while `failed`); returns whether the
/// call changed, so the caller moves the revision only then.
pub(crate) fn set_status(
    connection: &mut Connection,
    id: i64,
    status: CallStatus,
    failure: Option<&str>,
    now: i64,
) -> Result<bool, StoreError> {
    let changed = connection.execute(
        "UPDATE calls SET status = $2, failure = $3, updated_at = $4
         WHERE id = $1 AND (status <> $2 OR failure IS DISTINCT FROM $3)",
        &[&id, &status.as_str(), &failure, &now],
    )?;
    Ok(changed > 0)
}
