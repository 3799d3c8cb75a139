//! Checks of stage changes: the lifecycle rules, reason codes, history order, the derived
//! current stage and serialisation of concurrent changes.

use rapport_domain::{Actor, EventSource, PersonId, Stage, TransitionError};
use rapport_store::{ReasonCodeEntry, Store, StoreError};

use crate::fixtures::*;

/// Asserts the current stage the store reports agrees with the last event of the history.
fn check_stage_matches_history(store: &dyn Store, person: PersonId) {
    let history = store.stage_history(person).unwrap();
    let view = store.person(person).unwrap().unwrap();
    let last = history.last();
    assert_eq!(view.stage, last.map(|e| e.to), "stage of person {person}");
    assert_eq!(view.stage_since, last.map(|e| e.at), "stage_since of person {person}");
}

pub fn sal_without_mql_is_refused_with_a_clear_message(store: &dyn Store) {
    let id = import_people(store, &[person("ana@acme.com")])[0];
    store.transition(id, &request(Stage::Lead, day(11, 0))).unwrap();
    let error = store.transition(id, &request(Stage::Sal, day(12, 0))).unwrap_err();
    assert!(matches!(error, StoreError::Transition(TransitionError::NotAllowed { .. })), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("cannot move from lead to sal"), "{message}");
    assert!(message.contains("hand it off first"), "{message}");
    assert!(error.is_user_error());
    assert_eq!(history_stages(store, id), vec![Stage::Lead], "a refused change writes nothing");
}

pub fn forced_transition_is_recorded_as_forced(store: &dyn Store) {
    let rep = add_user(store, "rep@us.com");
    let id = import_people(store, &[person("ana@acme.com")])[0];
    store.transition(id, &request(Stage::Lead, day(11, 0))).unwrap();
    let mut forced = request(Stage::Sal, day(12, 0));
    forced.force = true;
    forced.actor = Actor::User { id: rep.id };
    forced.source = EventSource::Web;
    forced.note = Some("accepted at the booth".to_owned());
    let event = store.transition(id, &forced).unwrap();
    assert!(event.forced);
    assert_eq!(event.from, Some(Stage::Lead));
    let stored = store.stage_history(id).unwrap().pop().unwrap();
    assert_eq!(stored, event);
    assert_eq!(stored.actor, Actor::User { id: rep.id });
    assert_eq!(stored.note.as_deref(), Some("accepted at the booth"));
    let unforced = store.stage_history(id).unwrap()[0].clone();
    assert!(!unforced.forced);
    check_stage_matches_history(store, id);
}

pub fn rejection_requires_a_known_reason_code(store: &dyn Store) {
    let id = person_at_mql(store, "ana@acme.com");
    let error = store.transition(id, &request(Stage::Rejected, day(13, 0))).unwrap_err();
    assert!(error.to_string().contains("needs a reason code"), "{error}");
    let mut unknown = request(Stage::Rejected, day(13, 0));
    unknown.reason = Some("meh".to_owned());
    unknown.force = true;
    let error = store.transition(id, &unknown).unwrap_err();
    assert!(error.to_string().contains("`meh` is not a rejection reason"), "{error}");
    let mut known = request(Stage::Rejected, day(13, 0));
    known.reason = Some("no_budget".to_owned());
    known.note = Some("next year".to_owned());
    let event = store.transition(id, &known).unwrap();
    assert_eq!(event.reason.as_deref(), Some("no_budget"));
    assert_eq!(history_stages(store, id), vec![Stage::Lead, Stage::Mql, Stage::Rejected]);
}

pub fn reason_codes_are_configurable(store: &dyn Store) {
    let defaults: Vec<String> = store.rejection_reasons().unwrap().into_iter().map(|r| r.code).collect();
    let expected: Vec<String> =
        rapport_domain::DEFAULT_REJECTION_REASONS.iter().map(|(code, _)| code.to_string()).collect();
    assert_eq!(defaults, expected, "a new store starts with the default codes, in order");
    store
        .put_rejection_reason(&ReasonCodeEntry {
            code: "competitor".into(),
            label: "Chose a competitor".into(),
        })
        .unwrap();
    store.put_rejection_reason(&ReasonCodeEntry { code: "junk".into(), label: "Spam".into() }).unwrap();
    let reasons = store.rejection_reasons().unwrap();
    assert_eq!(reasons.len(), expected.len() + 1);
    assert_eq!(reasons.last().unwrap().code, "competitor", "new codes come last");
    assert_eq!(reasons.iter().find(|r| r.code == "junk").unwrap().label, "Spam", "relabelled in place");
    let id = person_at_mql(store, "ana@acme.com");
    let mut rejection = request(Stage::Rejected, day(13, 0));
    rejection.reason = Some("competitor".to_owned());
    store.transition(id, &rejection).unwrap();
    assert_eq!(store.person(id).unwrap().unwrap().stage, Some(Stage::Rejected));
}

pub fn history_is_ordered_and_import_events_can_be_older(store: &dyn Store) {
    let mut ana = person("ana@acme.com");
    let id = import_people(store, &[ana.clone()])[0];
    assert_eq!(store.person(id).unwrap().unwrap().stage, None, "no history, no stage");
    store.transition(id, &request(Stage::Lead, day(20, 0))).unwrap();
    store.transition(id, &request(Stage::Mql, day(21, 0))).unwrap();
    // The CRM knew of an older stage: it goes first in history, the current stage stays.
    ana.stage_history = vec![(Stage::Subscriber, day(5, 0))];
    write(store, |tx| tx.upsert_people(&[ana.clone()]).unwrap());
    assert_eq!(history_stages(store, id), vec![Stage::Subscriber, Stage::Lead, Stage::Mql]);
    check_stage_matches_history(store, id);
    assert_eq!(store.person(id).unwrap().unwrap().stage, Some(Stage::Mql));
    // A newer import event becomes the current stage.
    ana.stage_history.push((Stage::Sal, day(25, 0)));
    write(store, |tx| tx.upsert_people(&[ana.clone()]).unwrap());
    check_stage_matches_history(store, id);
    assert_eq!(store.person(id).unwrap().unwrap().stage, Some(Stage::Sal));
    // Events at the same time keep their insertion order.
    store.transition(id, &request(Stage::Sql, day(25, 0))).unwrap();
    assert_eq!(history_stages(store, id).last(), Some(&Stage::Sql));
    check_stage_matches_history(store, id);
    let history = store.stage_history(id).unwrap();
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
}

pub fn transition_of_unknown_person_is_not_found(store: &dyn Store) {
    let error = store.transition(PersonId(987_654), &request(Stage::Lead, day(1, 0))).unwrap_err();
    assert!(matches!(error, StoreError::NotFound { .. }), "{error:?}");
    let mut tx = store.begin_write().unwrap();
    let error =
        tx.append_transitions(&email("ghost@acme.com"), &[request(Stage::Lead, day(1, 0))]).unwrap_err();
    assert!(matches!(error, StoreError::NotFound { .. }), "{error:?}");
}

pub fn append_transitions_checks_each_request(store: &dyn Store) {
    let rep = add_user(store, "rep@us.com");
    let id = import_people(store, &[person("ana@acme.com")])[0];
    let mut handoff = request(Stage::Mql, day(12, 0));
    handoff.owner = Some(rep.id);
    let events = write(store, |tx| {
        tx.append_transitions(&email("ana@acme.com"), &[request(Stage::Lead, day(11, 0)), handoff]).unwrap()
    });
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].from, Some(Stage::Lead));
    assert_eq!(events[1].owner, Some(rep.id));
    assert_eq!(store.stage_history(id).unwrap(), events);
    let mut tx = store.begin_write().unwrap();
    let error =
        tx.append_transitions(&email("ana@acme.com"), &[request(Stage::Customer, day(13, 0))]).unwrap_err();
    assert!(matches!(error, StoreError::Transition(_)), "{error:?}");
    drop(tx);
    assert_eq!(history_stages(store, id), vec![Stage::Lead, Stage::Mql]);
}

pub fn stage_projection_matches_history_after_many_operations(store: &dyn Store) {
    let addresses: Vec<String> = (0..12).map(|i| format!("p{i}@acme.com")).collect();
    let mut people: Vec<_> = addresses.iter().map(|a| person(a)).collect();
    for (i, p) in people.iter_mut().enumerate() {
        if i % 3 == 0 {
            p.stage_history = vec![(Stage::Lead, day(10, i as u32))];
        }
    }
    let ids = import_people(store, &people);
    for (i, id) in ids.iter().enumerate() {
        let mut hour = 0;
        let mut next = |to: Stage| {
            hour += 1;
            let mut r = request(to, day(30 + i as u32, hour));
            r.reason = (to == Stage::Rejected).then(|| "bad_fit".to_owned());
            r.force = i % 4 == 3;
            store.transition(*id, &r)
        };
        let path: &[Stage] = match i % 4 {
            0 => &[Stage::Mql, Stage::Sal, Stage::Sql],
            1 => &[Stage::Lead, Stage::Mql, Stage::Rejected, Stage::Recycled],
            2 => &[Stage::Lead, Stage::Customer, Stage::Mql],
            _ => &[Stage::Customer, Stage::Lead],
        };
        for stage in path {
            let _allowed_or_refused = next(*stage);
        }
    }
    // Older import events land in the middle of the histories.
    for p in people.iter_mut() {
        p.stage_history.push((Stage::Subscriber, day(2, 0)));
    }
    write(store, |tx| tx.upsert_people(&people).unwrap());
    for id in &ids {
        check_stage_matches_history(store, *id);
    }
    let all = store.list_people(&rapport_store::PeopleQuery::default()).unwrap();
    for stage in Stage::ALL {
        let listed =
            store.list_people(&rapport_store::PeopleQuery { stage: Some(stage), ..Default::default() });
        let expected = all.iter().filter(|p| p.stage == Some(stage)).count();
        assert_eq!(listed.unwrap().len(), expected, "people listed at {stage}");
    }
}

pub fn concurrent_transitions_of_one_person_serialise(store: &dyn Store) {
    let id = person_at_mql(store, "ana@acme.com");
    // Eight threads race to accept the same MQL: exactly one acceptance is allowed.
    let successes = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| scope.spawn(move || store.transition(id, &request(Stage::Sal, day(13, i)))))
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        for failure in results.iter().filter_map(|r| r.as_ref().err()) {
            assert!(
                matches!(failure, StoreError::Transition(_)),
                "a loser is refused by the rules: {failure:?}"
            );
        }
        results.iter().filter(|r| r.is_ok()).count()
    });
    assert_eq!(successes, 1);
    assert_eq!(history_stages(store, id), vec![Stage::Lead, Stage::Mql, Stage::Sal]);
    check_stage_matches_history(store, id);
}
