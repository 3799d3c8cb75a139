//! Stage events: appending (checked or imported), keeping the `person_stage` projection equal
//! to what history says, and reading history and reason codes back.

use rapport_domain::{
    check_transition, Actor, PersonId, Stage, StageEvent, StageEventId, Timestamp, TransitionError,
    TransitionRequest, UserId,
};
use rusqlite::{params, Connection, OptionalExtension};

use rapport_store::{ReasonCodeEntry, StoreError};

use crate::convert::{self, millis, OrDatabaseError};

/// The person's current stage, from the projection.
pub(crate) fn current_stage(connection: &Connection, person: i64) -> Result<Option<Stage>, StoreError> {
    let text: Option<String> = connection
        .prepare_cached("SELECT stage FROM person_stage WHERE person_id = ?1")
        .or_db()?
        .query_row([person], |row| row.get(0))
        .optional()
        .or_db()?;
    convert::optional_stage(text)
}

pub(crate) fn reason_codes(connection: &Connection) -> Result<Vec<String>, StoreError> {
    let mut statement =
        connection.prepare_cached("SELECT code FROM rejection_reasons ORDER BY position").or_db()?;
    let codes = statement.query_map([], |row| row.get(0)).or_db()?;
    codes.collect::<Result<_, _>>().or_db()
}

pub(crate) fn rejection_reasons(connection: &Connection) -> Result<Vec<ReasonCodeEntry>, StoreError> {
    let mut statement =
        connection.prepare_cached("SELECT code, label FROM rejection_reasons ORDER BY position").or_db()?;
    let entries = statement
        .query_map([], |row| Ok(ReasonCodeEntry { code: row.get(0)?, label: row.get(1)? }))
        .or_db()?;
    entries.collect::<Result<_, _>>().or_db()
}

pub(crate) fn put_rejection_reason(
    connection: &Connection,
    entry: &ReasonCodeEntry,
) -> Result<(), StoreError> {
    if entry.code.trim().is_empty() {
        return Err(StoreError::Invalid {
            field: "code".into(),
            message: "a reason code cannot be empty".into(),
        });
    }
    connection
        .execute(
            "INSERT INTO rejection_reasons (code, label, position)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM rejection_reasons))
             ON CONFLICT (code) DO UPDATE SET label = excluded.label",
            params![entry.code, entry.label],
        )
        .or_db()?;
    Ok(())
}

/// Sets the projection to the person's latest event by (at, id), the rule that defines the
/// current stage. Called after every append, inside the same transaction.
pub(crate) fn refresh_projection(connection: &Connection, person: i64) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO person_stage (person_id, stage, since, last_event_id)
             SELECT person_id, to_stage, at, id FROM stage_events
             WHERE person_id = ?1 ORDER BY at DESC, id DESC LIMIT 1
             ON CONFLICT (person_id) DO UPDATE SET
                 stage = excluded.stage, since = excluded.since, last_event_id = excluded.last_event_id",
        )
        .or_db()?
        .execute([person])
        .or_db()?;
    Ok(())
}

/// Sets the projection directly, when the caller knows the person's latest event (a new
/// person's imported history, appended in time order).
pub(crate) fn set_projection(
    connection: &Connection,
    person: i64,
    stage: Stage,
    at: i64,
    event: i64,
) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO person_stage (person_id, stage, since, last_event_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id) DO UPDATE SET
                 stage = excluded.stage, since = excluded.since, last_event_id = excluded.last_event_id",
        )
        .or_db()?
        .execute(params![person, stage.as_str(), at, event])
        .or_db()?;
    Ok(())
}

/// One entry of a new person's imported history, appended in time order: nothing to
/// deduplicate against. Returns the event's id. `at` is in milliseconds.
pub(crate) fn insert_first_import_event(
    connection: &Connection,
    person: i64,
    from: Option<Stage>,
    to: Stage,
    at: i64,
    dedupe_key: &str,
) -> Result<i64, StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO stage_events (person_id, from_stage, to_stage, at, source, forced, dedupe_key)
             VALUES (?1, ?2, ?3, ?4, 'import', 0, ?5)",
        )
        .or_db()?
        .execute(params![person, from.map(Stage::as_str), to.as_str(), at, dedupe_key])
        .or_db()?;
    Ok(connection.last_insert_rowid())
}

/// An event the CRM recorded (a person's history, an opportunity's progress): taken as it
/// was, unchecked, with source `import`. Returns whether it was new (its dedupe key unseen).
/// Callers refresh the projection once after their appends.
pub(crate) fn append_import_event(
    connection: &Connection,
    person: i64,
    to: Stage,
    at: Timestamp,
    reason: Option<&str>,
    dedupe_key: &str,
) -> Result<bool, StoreError> {
    let at = millis(at);
    // The stage it moved from is the one of the event just before it in time, which for an
    // old event is not the current stage.
    let from: Option<String> = connection
        .prepare_cached(
            "SELECT to_stage FROM stage_events WHERE person_id = ?1 AND at <= ?2 ORDER BY at DESC, id DESC LIMIT 1",
        )
        .or_db()?
        .query_row(params![person, at], |row| row.get(0))
        .optional()
        .or_db()?;
    append_import_event_after(connection, person, convert::optional_stage(from)?, to, at, reason, dedupe_key)
}

/// [`append_import_event`] when the caller knows the stage before it (a new person's history,
/// appended in time order). `at` is in milliseconds.
pub(crate) fn append_import_event_after(
    connection: &Connection,
    person: i64,
    from: Option<Stage>,
    to: Stage,
    at: i64,
    reason: Option<&str>,
    dedupe_key: &str,
) -> Result<bool, StoreError> {
    let inserted = connection
        .prepare_cached(
            // The same step at the same instant may reach us under two keys (a CRM's
            // "became customer" date and the won deal behind it): record it once.
            "INSERT OR IGNORE INTO stage_events (person_id, from_stage, to_stage, at, source, reason, forced, dedupe_key)
             SELECT ?1, ?2, ?3, ?4, 'import', ?5, 0, ?6
             WHERE NOT EXISTS (SELECT 1 FROM stage_events WHERE person_id = ?1 AND to_stage = ?3 AND at = ?4)",
        )
        .or_db()?
        .execute(params![person, from.map(Stage::as_str), to.as_str(), at, reason, dedupe_key])
        .or_db()?;
    Ok(inserted == 1)
}

/// Checks `request` against the current stage and the configured reason codes, appends the
/// event and updates the projection. The caller holds the write transaction.
pub(crate) fn append_checked(
    connection: &Connection,
    person: i64,
    request: &TransitionRequest,
) -> Result<StageEvent, StoreError> {
    let from = current_stage(connection, person)?;
    let codes = reason_codes(connection)?;
    check_transition(from, request, &codes)?;
    // Recorded as forced only when the rules would have refused it without force.
    let forced = request.force
        && matches!(
            check_transition(from, &TransitionRequest { force: false, ..request.clone() }, &codes),
            Err(TransitionError::NotAllowed { .. })
        );
    let actor_user = match request.actor {
        Actor::User { id } => Some(id.0),
        Actor::System => None,
    };
    let owner = request.owner.map(|o| o.0);
    connection
        .prepare_cached(
            "INSERT INTO stage_events
                 (person_id, from_stage, to_stage, at, actor_user_id, source, reason, note, owner_id, forced)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .or_db()?
        .execute(params![
            person,
            from.map(Stage::as_str),
            request.to.as_str(),
            millis(request.at),
            actor_user,
            request.source.as_str(),
            request.reason,
            request.note,
            owner,
            forced,
        ])
        .map_err(|e| reference_error(e, "actor or owner"))?;
    let id = connection.last_insert_rowid();
    refresh_projection(connection, person)?;
    // A handoff names the rep who receives the lead: they become its owner.
    if let Some(owner) = owner {
        connection
            .prepare_cached("UPDATE people SET owner_id = ?1 WHERE id = ?2")
            .or_db()?
            .execute([owner, person])
            .or_db()?;
    }
    Ok(StageEvent {
        id: StageEventId(id),
        person_id: PersonId(person),
        from,
        to: request.to,
        at: request.at,
        actor: request.actor.clone(),
        source: request.source,
        reason: request.reason.clone(),
        note: request.note.clone(),
        owner: request.owner,
        forced,
    })
}

/// A foreign-key failure on an event means a user id that does not exist.
fn reference_error(error: rusqlite::Error, what: &str) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            StoreError::NotFound { what: "user", key: format!("({what} of the event)") }
        }
        _ => convert::db(error),
    }
}

pub(crate) fn person_exists(connection: &Connection, person: i64) -> Result<bool, StoreError> {
    connection
        .prepare_cached("SELECT 1 FROM people WHERE id = ?1")
        .or_db()?
        .query_row([person], |_| Ok(()))
        .optional()
        .or_db()
        .map(|found| found.is_some())
}

pub(crate) fn history(connection: &Connection, person: i64) -> Result<Vec<StageEvent>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "SELECT id, from_stage, to_stage, at, actor_user_id, source, reason, note, owner_id, forced
             FROM stage_events WHERE person_id = ?1 ORDER BY at, id",
        )
        .or_db()?;
    let mut rows = statement.query([person]).or_db()?;
    let mut events = Vec::new();
    while let Some(row) = rows.next().or_db()? {
        let actor = match row.get::<_, Option<i64>>(4).or_db()? {
            Some(id) => Actor::User { id: UserId(id) },
            None => Actor::System,
        };
        events.push(StageEvent {
            id: StageEventId(row.get(0).or_db()?),
            person_id: PersonId(person),
            from: convert::optional_stage(row.get(1).or_db()?)?,
            to: convert::stage(&row.get::<_, String>(2).or_db()?)?,
            at: convert::time(row.get(3).or_db()?)?,
            actor,
            source: convert::source(&row.get::<_, String>(5).or_db()?)?,
            reason: row.get(6).or_db()?,
            note: row.get(7).or_db()?,
            owner: row.get::<_, Option<i64>>(8).or_db()?.map(UserId),
            forced: row.get(9).or_db()?,
        });
    }
    Ok(events)
}

/// The CRM history entries of a person (import events from their records), in time order.
pub(crate) fn imported_history(
    connection: &Connection,
    person: i64,
) -> Result<Vec<(Stage, Timestamp)>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "SELECT to_stage, at FROM stage_events
             WHERE person_id = ?1 AND dedupe_key LIKE 'history:%' ORDER BY at, id",
        )
        .or_db()?;
    let mut rows = statement.query([person]).or_db()?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next().or_db()? {
        entries
            .push((convert::stage(&row.get::<_, String>(0).or_db()?)?, convert::time(row.get(1).or_db()?)?));
    }
    Ok(entries)
}

pub(crate) use rapport_store::keys::history_key;
