//! Tests of the lead actions against a real (temporary SQLite) store.

use rapport_domain::{Actor, Role, Stage, TransitionError};

use super::*;
use crate::test_support::{self, options, person, user};

fn check_stage(store: &dyn Store, email: &str, expected: Stage) {
    assert_eq!(show(store, email).unwrap().person.stage, Some(expected), "{email}");
}

#[test]
fn handoff_then_accept_records_owner_actor_and_note() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let rep = user(store, "rep@example.com", Role::SalesRep);
    person(store, "ana@acme.com", &[Stage::Lead]);
    let event = handoff(store, "ANA@acme.com", "rep@example.com", &options(2)).unwrap();
    assert_eq!((event.from, event.to, event.owner), (Some(Stage::Lead), Stage::Mql, Some(rep.id)));
    let accept_options =
        ChangeOptions { actor: Actor::User { id: rep.id }, note: Some("call booked".into()), ..options(3) };
    let event = accept(store, "ana@acme.com", &accept_options).unwrap();
    assert_eq!((event.to, event.note.as_deref()), (Stage::Sal, Some("call booked")));
    assert_eq!(event.actor, Actor::User { id: rep.id });
    let details = show(store, "ana@acme.com").unwrap();
    assert_eq!(details.history.len(), 3);
    assert_eq!(details.person.owner_email.as_deref(), Some("rep@example.com"));
}

#[test]
fn reject_needs_a_reason_and_recycle_follows() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    user(store, "rep@example.com", Role::SalesRep);
    person(store, "ana@acme.com", &[Stage::Lead]);
    handoff(store, "ana@acme.com", "rep@example.com", &options(2)).unwrap();
    let error = reject(store, "ana@acme.com", " ", &options(3)).unwrap_err();
    assert!(matches!(error, AppError::Transition(TransitionError::ReasonRequired { .. })), "{error}");
    assert!(error.to_string().contains("bad_fit"), "the message lists the codes: {error}");
    let event = reject(store, "ana@acme.com", "no_budget", &options(3)).unwrap();
    assert_eq!(event.reason.as_deref(), Some("no_budget"));
    recycle(store, "ana@acme.com", &options(4)).unwrap();
    check_stage(store, "ana@acme.com", Stage::Recycled);
}

#[test]
fn accepting_without_a_handoff_is_refused_unless_forced() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    person(store, "ana@acme.com", &[Stage::Lead]);
    let error = accept(store, "ana@acme.com", &options(2)).unwrap_err();
    assert!(error.is_user_error());
    assert!(error.to_string().contains("hand it off first"), "{error}");
    let event = accept(store, "ana@acme.com", &ChangeOptions { force: true, ..options(2) }).unwrap();
    assert!(event.forced);
}

#[test]
fn bad_emails_and_unknown_people_or_owners_name_the_field() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    person(store, "ana@acme.com", &[Stage::Lead]);
    let error = show(store, "not-an-email").unwrap_err();
    assert!(matches!(&error, AppError::Invalid { field, .. } if field == "email"), "{error}");
    let error = accept(store, "nobody@acme.com", &options(2)).unwrap_err();
    assert_eq!(error.to_string(), "no person `nobody@acme.com`");
    let error = handoff(store, "ana@acme.com", "ghost@example.com", &options(2)).unwrap_err();
    assert!(matches!(&error, AppError::Invalid { field, .. } if field == "owner"), "{error}");
}

#[test]
fn lists_people_by_stage_and_owner_with_bounded_pages() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    user(store, "rep@example.com", Role::SalesRep);
    person(store, "ana@acme.com", &[Stage::Lead]);
    person(store, "bo@acme.com", &[Stage::Lead]);
    handoff(store, "bo@acme.com", "rep@example.com", &options(2)).unwrap();
    let emails = |query: ListQuery| -> Vec<String> {
        list(store, &query).unwrap().into_iter().map(|p| p.person.record.email.to_string()).collect()
    };
    assert_eq!(emails(ListQuery { stage: Some("mql".into()), ..Default::default() }), ["bo@acme.com"]);
    assert_eq!(
        emails(ListQuery { owner: Some("rep@example.com".into()), ..Default::default() }),
        ["bo@acme.com"]
    );
    assert_eq!(emails(ListQuery::default()).len(), 2);
    assert_eq!(emails(ListQuery { limit: Some(1), offset: Some(1), ..Default::default() }).len(), 1);
    for (query, field) in [
        (ListQuery { stage: Some("banana".into()), ..Default::default() }, "stage"),
        (ListQuery { owner: Some("ghost@example.com".into()), ..Default::default() }, "owner"),
        (ListQuery { limit: Some(0), ..Default::default() }, "limit"),
        (ListQuery { limit: Some(MAX_LIST_LIMIT + 1), ..Default::default() }, "limit"),
    ] {
        let error = list(store, &query).unwrap_err();
        assert!(matches!(&error, AppError::Invalid { field: f, .. } if f == field), "{query:?}: {error}");
    }
}
