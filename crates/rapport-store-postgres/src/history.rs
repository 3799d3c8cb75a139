//! The CRM stage history of imported people: which entries are new, and the stage each new
//! event comes from, planned in memory for a whole batch so the events go in with one
//! statement yet read as if appended one by one.

use std::collections::{HashMap, HashSet};

use rapport_domain::{PersonRecord, Stage, Timestamp};

use rapport_store::StoreError;

use crate::convert::{self, get, millis};
use crate::lifecycle::{self, ImportEvent};
use crate::write::PostgresWriteTx;

/// Import events for the new CRM history entries of people already stored. Their events are
/// read without locks first (a re-import usually adds nothing); only the people who do get
/// new events are then locked and read again, so no transition slips in between.
pub(crate) fn plan_existing_history(
    tx: &mut PostgresWriteTx,
    rows: &[PersonRecord],
    existing: &[(usize, i64, bool)],
) -> Result<Vec<ImportEvent>, StoreError> {
    let plan = |stored: &mut HashMap<i64, Vec<KnownEvent>>, people: &[(usize, i64)]| {
        let mut events = Vec::new();
        for (index, id) in people {
            let known = stored.remove(id).unwrap_or_default();
            plan_history(*id, &rows[*index].stage_history, known, &mut events);
        }
        events
    };
    let with_history: Vec<(usize, i64)> = existing
        .iter()
        .filter(|(index, _, _)| !rows[*index].stage_history.is_empty())
        .map(|(index, id, _)| (*index, *id))
        .collect();
    let ids: Vec<i64> = with_history.iter().map(|(_, id)| *id).collect();
    let events = plan(&mut stored_events(tx, &ids)?, &with_history);
    if events.is_empty() {
        return Ok(events);
    }
    let changing: HashSet<i64> = events.iter().map(|event| event.person).collect();
    let with_history: Vec<(usize, i64)> =
        with_history.into_iter().filter(|(_, id)| changing.contains(id)).collect();
    let ids: Vec<i64> = with_history.iter().map(|(_, id)| *id).collect();
    tx.lock_people(&ids)?;
    Ok(plan(&mut stored_events(tx, &ids)?, &with_history))
}

/// Import events for the CRM history of a person inserted by this batch (nothing to read:
/// they have no events yet).
pub(crate) fn plan_new_person_history(
    person: i64,
    history: &[(Stage, Timestamp)],
    events: &mut Vec<ImportEvent>,
) {
    plan_history(person, history, Vec::new(), events);
}

/// A stored event, as far as planning new ones needs it.
struct KnownEvent {
    at: i64,
    sequence: i64,
    to: Stage,
    dedupe_key: Option<String>,
}

fn stored_events(
    tx: &mut PostgresWriteTx,
    people: &[i64],
) -> Result<HashMap<i64, Vec<KnownEvent>>, StoreError> {
    let mut events: HashMap<i64, Vec<KnownEvent>> = HashMap::new();
    if people.is_empty() {
        return Ok(events);
    }
    for row in tx.connection.query_batch(
        people.len(),
        "SELECT person_id, id, at, to_stage, dedupe_key FROM stage_events WHERE person_id = ANY($1)",
        &[&people],
    )? {
        events.entry(get(&row, 0)?).or_default().push(KnownEvent {
            sequence: get(&row, 1)?,
            at: get(&row, 2)?,
            to: convert::stage(get(&row, 3)?)?,
            dedupe_key: get(&row, 4)?,
        });
    }
    Ok(events)
}

/// Adds to `events` the CRM history entries the person does not have yet, in time order, each
/// coming from the stage of the event just before it in time (stored or planned here), as
/// appending them one by one would.
fn plan_history(
    person: i64,
    history: &[(Stage, Timestamp)],
    mut known: Vec<KnownEvent>,
    events: &mut Vec<ImportEvent>,
) {
    if history.is_empty() {
        return;
    }
    let mut ordered: Vec<&(Stage, Timestamp)> = history.iter().collect();
    ordered.sort_by_key(|(stage, at)| (*at, *stage));
    let mut keys: HashSet<String> = known.iter().filter_map(|e| e.dedupe_key.clone()).collect();
    // Events appended now get ids above every stored one, in this order.
    let mut next_sequence = i64::MAX / 2;
    for (stage, at) in ordered {
        let key = lifecycle::history_key(*stage, *at);
        if !keys.insert(key.clone()) {
            continue;
        }
        let at = millis(*at);
        let from = known.iter().filter(|e| e.at <= at).max_by_key(|e| (e.at, e.sequence)).map(|e| e.to);
        known.push(KnownEvent { at, sequence: next_sequence, to: *stage, dedupe_key: None });
        next_sequence += 1;
        events.push(ImportEvent { person, from, to: *stage, at, reason: None, dedupe_key: key });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    fn check(history: &[(Stage, Timestamp)], known: Vec<KnownEvent>, expected: &[(Option<Stage>, Stage)]) {
        let mut events = Vec::new();
        plan_history(7, history, known, &mut events);
        let planned: Vec<_> = events.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(planned, expected);
    }

    #[test]
    fn plans_history_in_time_order_from_the_event_before() {
        use Stage::*;
        check(&[(Mql, day(3)), (Lead, day(2))], Vec::new(), &[(None, Lead), (Some(Lead), Mql)]);
        check(&[(Lead, day(2)), (Lead, day(2))], Vec::new(), &[(None, Lead)]);
        let stored = |to, d, sequence, key: Option<&str>| KnownEvent {
            at: millis(day(d)),
            sequence,
            to,
            dedupe_key: key.map(str::to_owned),
        };
        let known = vec![stored(Lead, 5, 1, None), stored(Mql, 6, 2, Some("history:mql:1704499200000"))];
        check(
            &[(Mql, day(6)), (Subscriber, day(1)), (Sal, day(7))],
            known,
            &[(None, Subscriber), (Some(Mql), Sal)],
        );
    }
}
