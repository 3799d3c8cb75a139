//! Stage events: appending (checked or imported), keeping the `person_stage` projection equal
//! to what history says, and reading history and reason codes back. Callers lock the
//! person's row before appending, so one writer at a time changes a person's history.

use std::collections::HashSet;

use rapport_domain::{
    check_transition, Actor, PersonId, Stage, StageEvent, StageEventId, Timestamp, TransitionError,
    TransitionRequest, UserId,
};

use rapport_store::{ReasonCodeEntry, StoreError};

use crate::connection::{Connection, Params};
use crate::convert::{self, get, millis};

/// The person's current stage, from the projection.
pub(crate) fn current_stage(connection: &mut Connection, person: i64) -> Result<Option<Stage>, StoreError> {
    let row = connection.query_opt("SELECT stage FROM person_stage WHERE person_id = $1", &[&person])?;
    convert::optional_stage(row.map(|row| get(&row, 0)).transpose()?)
}

pub(crate) fn reason_codes(connection: &mut Connection) -> Result<Vec<String>, StoreError> {
    let rows = connection.query("SELECT code FROM rejection_reasons ORDER BY position, code", &[])?;
    rows.iter().map(|row| get(row, 0)).collect()
}

pub(crate) fn rejection_reasons(connection: &mut Connection) -> Result<Vec<ReasonCodeEntry>, StoreError> {
    let rows = connection.query("SELECT code, label FROM rejection_reasons ORDER BY position, code", &[])?;
    rows.iter().map(|row| Ok(ReasonCodeEntry { code: get(row, 0)?, label: get(row, 1)? })).collect()
}

pub(crate) fn put_rejection_reason(
    connection: &mut Connection,
    entry: &ReasonCodeEntry,
) -> Result<(), StoreError> {
    if entry.code.trim().is_empty() {
        return Err(StoreError::Invalid {
            field: "code".into(),
            message: "a reason code cannot be empty".into(),
        });
    }
    convert::storable_value([("code", Some(entry.code.as_str())), ("label", Some(entry.label.as_str()))])?;
    connection.execute(
        "INSERT INTO rejection_reasons (code, label, position)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM rejection_reasons))
         ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label",
        &[&entry.code, &entry.label],
    )?;
    Ok(())
}

/// Sets the projection of each person to their latest event by (at, id), the rule that
/// defines the current stage. Called after appends, inside the same transaction.
pub(crate) fn refresh_projection(connection: &mut Connection, people: &[i64]) -> Result<(), StoreError> {
    if people.is_empty() {
        return Ok(());
    }
    let sql = "INSERT INTO person_stage (person_id, stage, since, last_event_id)
         SELECT DISTINCT ON (person_id) person_id, to_stage, at, id FROM stage_events
         WHERE person_id = ANY($1) ORDER BY person_id, at DESC, id DESC
         ON CONFLICT (person_id) DO UPDATE SET
             stage = EXCLUDED.stage, since = EXCLUDED.since, last_event_id = EXCLUDED.last_event_id";
    connection.query_batch(people.len(), sql, &[&people])?;
    Ok(())
}

/// An import event to append: taken as the CRM recorded it, unchecked, with source `import`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportEvent {
    pub(crate) person: i64,
    pub(crate) from: Option<Stage>,
    pub(crate) to: Stage,
    pub(crate) at: i64,
    pub(crate) reason: Option<String>,
    pub(crate) dedupe_key: String,
}

/// Appends import events in the order given, skipping those whose dedupe key the person
/// already has, and returns the people who got a new event. Callers refresh the projection.
/// The same step at the same instant may arrive under two keys (a CRM's "became customer" date
/// and the won deal behind it); it is recorded once.
pub(crate) fn insert_import_events(
    connection: &mut Connection,
    events: &[ImportEvent],
) -> Result<HashSet<i64>, StoreError> {
    if events.is_empty() {
        return Ok(HashSet::new());
    }
    let people: Vec<i64> = events.iter().map(|e| e.person).collect();
    let from: Vec<Option<&str>> = events.iter().map(|e| e.from.map(Stage::as_str)).collect();
    let to: Vec<&str> = events.iter().map(|e| e.to.as_str()).collect();
    let at: Vec<i64> = events.iter().map(|e| e.at).collect();
    let reasons: Vec<Option<&str>> = events.iter().map(|e| e.reason.as_deref()).collect();
    let keys: Vec<&str> = events.iter().map(|e| e.dedupe_key.as_str()).collect();
    let sql =
        "INSERT INTO stage_events (person_id, from_stage, to_stage, at, source, reason, forced, dedupe_key)
         SELECT u.person_id, u.from_stage, u.to_stage, u.at, 'import', u.reason, FALSE, u.dedupe_key
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])
              WITH ORDINALITY AS u(person_id, from_stage, to_stage, at, reason, dedupe_key, n)
         WHERE NOT EXISTS (SELECT 1 FROM stage_events e
                           WHERE e.person_id = u.person_id AND e.to_stage = u.to_stage AND e.at = u.at)
         ORDER BY u.n
         ON CONFLICT (person_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
         RETURNING person_id";
    let params: Params<'_> = &[&people, &from, &to, &at, &reasons, &keys];
    let rows = connection.query_batch(events.len(), sql, params)?;
    rows.iter().map(|row| get(row, 0)).collect()
}

/// One import event, its `from` being the stage of the event just before it in time (which
/// for an old event is not the current stage). Returns whether it was new.
pub(crate) fn append_import_event(
    connection: &mut Connection,
    person: i64,
    to: Stage,
    at: Timestamp,
    reason: Option<&str>,
    dedupe_key: &str,
) -> Result<bool, StoreError> {
    let at = millis(at);
    let before = connection.query_opt(
        "SELECT to_stage FROM stage_events WHERE person_id = $1 AND at <= $2 ORDER BY at DESC, id DESC LIMIT 1",
        &[&person, &at],
    )?;
    let from = convert::optional_stage(before.map(|row| get(&row, 0)).transpose()?)?;
    let event = ImportEvent {
        person,
        from,
        to,
        at,
        reason: reason.map(str::to_owned),
        dedupe_key: dedupe_key.to_owned(),
    };
    Ok(!insert_import_events(connection, &[event])?.is_empty())
}

/// Checks `request` against the current stage and the configured reason codes, appends the
/// event and updates the projection. The caller holds the transaction and the person's lock.
pub(crate) fn append_checked(
    connection: &mut Connection,
    person: i64,
    request: &TransitionRequest,
) -> Result<StageEvent, StoreError> {
    let from = current_stage(connection, person)?;
    let codes = reason_codes(connection)?;
    check_transition(from, request, &codes)?;
    convert::storable_value([("reason", request.reason.as_deref()), ("note", request.note.as_deref())])?;
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
    // Checked before the insert: a failed statement would abort the whole transaction,
    // while SQLite's callers may go on after this error.
    let mut users: Vec<i64> = actor_user.into_iter().chain(owner).collect();
    users.dedup();
    if !users.is_empty() {
        let found: i64 =
            get(&connection.query_one("SELECT COUNT(*) FROM users WHERE id = ANY($1)", &[&users])?, 0)?;
        if found != users.len() as i64 {
            return Err(StoreError::NotFound { what: "user", key: "(actor or owner of the event)".into() });
        }
    }
    let row = connection.query_one(
        "INSERT INTO stage_events
             (person_id, from_stage, to_stage, at, actor_user_id, source, reason, note, owner_id, forced)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            &person,
            &from.map(Stage::as_str),
            &request.to.as_str(),
            &millis(request.at),
            &actor_user,
            &request.source.as_str(),
            &request.reason,
            &request.note,
            &owner,
            &forced,
        ],
    )?;
    let id: i64 = get(&row, 0)?;
    refresh_projection(connection, &[person])?;
    // A handoff names the rep who receives the lead: they become its owner.
    if let Some(owner) = owner {
        connection.execute("UPDATE people SET owner_id = $1 WHERE id = $2", &[&owner, &person])?;
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

/// Whether the person exists, locking their row until the transaction ends.
pub(crate) fn lock_person(connection: &mut Connection, person: i64) -> Result<bool, StoreError> {
    Ok(connection.query_opt("SELECT id FROM people WHERE id = $1 FOR UPDATE", &[&person])?.is_some())
}

pub(crate) fn history(connection: &mut Connection, person: i64) -> Result<Vec<StageEvent>, StoreError> {
    let rows = connection.query(
        "SELECT id, from_stage, to_stage, at, actor_user_id, source, reason, note, owner_id, forced
         FROM stage_events WHERE person_id = $1 ORDER BY at, id",
        &[&person],
    )?;
    rows.iter()
        .map(|row| {
            let actor = match get::<Option<i64>>(row, 4)? {
                Some(id) => Actor::User { id: UserId(id) },
                None => Actor::System,
            };
            Ok(StageEvent {
                id: StageEventId(get(row, 0)?),
                person_id: PersonId(person),
                from: convert::optional_stage(get(row, 1)?)?,
                to: convert::stage(get(row, 2)?)?,
                at: convert::time(get(row, 3)?)?,
                actor,
                source: convert::source(get(row, 5)?)?,
                reason: get(row, 6)?,
                note: get(row, 7)?,
                owner: get::<Option<i64>>(row, 8)?.map(UserId),
                forced: get(row, 9)?,
            })
        })
        .collect()
}

pub(crate) use rapport_store::keys::history_key;
