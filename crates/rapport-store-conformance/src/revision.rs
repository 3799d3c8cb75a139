//! The store's revision: every kind of committed write moves it forward; reads and rolled-back
//! writes leave it alone, so a cache keyed by it is never stale and never reloads for nothing.

use rapport_domain::{NewJob, Retry, Stage, TouchKind};
use rapport_store::{ReasonCodeEntry, Store};

use crate::calls::{call_record, linked_call, seed_crm};
use crate::fixtures::{day, import_people, person, request, touch, user, write};
use crate::jobs::{at, claim, enqueue};
use crate::transcripts::utterances;

pub fn revision_moves_forward_on_every_write_and_only_then(store: &dyn Store) {
    let mut last = store.revision().unwrap();
    let mut moved = |store: &dyn Store, what: &str| {
        let now = store.revision().unwrap();
        assert!(now > last, "{what} did not move the revision ({last} -> {now})");
        last = now;
    };
    let ids = import_people(store, &[person("ana@acme.com")]);
    moved(store, "importing people");
    write(store, |tx| tx.upsert_touches(&[touch("ana@acme.com", day(3, 9), TouchKind::WebVisit)]).unwrap());
    moved(store, "importing touches");
    store.transition(ids[0], &request(Stage::Mql, day(4, 9))).unwrap();
    moved(store, "a transition");
    store.upsert_user(&user("rep@us.com", rapport_domain::Role::SalesRep)).unwrap();
    moved(store, "adding a user");
    store
        .put_rejection_reason(&ReasonCodeEntry { code: "too_small".into(), label: "Too small".into() })
        .unwrap();
    moved(store, "adding a reason code");

    let before = store.revision().unwrap();
    store.funnel_facts(&Default::default()).unwrap();
    store.counts().unwrap();
    store.stage_history(ids[0]).unwrap();
    {
        let mut tx = store.begin_write().unwrap();
        tx.upsert_people(&[person("bo@acme.com")]).unwrap();
        // Dropped without commit: rolled back.
    }
    assert!(store.transition(ids[0], &request(Stage::Customer, day(5, 9))).is_err());
    assert_eq!(
        store.revision().unwrap(),
        before,
        "reads, a rollback and a refused transition changed nothing"
    );
}

pub fn revision_moves_on_call_writes_and_not_on_job_bookkeeping(store: &dyn Store) {
    seed_crm(store);
    let mut last = store.revision().unwrap();
    let mut check = |store: &dyn Store, what: &str, should_move: bool| {
        let now = store.revision().unwrap();
        assert_eq!(now > last, should_move, "{what}: revision {last} -> {now}");
        last = now;
    };
    let call = store.create_call(&call_record("a"), day(2, 0)).unwrap();
    check(store, "creating a call", true);
    let job = NewJob::new("transcribe_call", "{}", day(2, 0));
    store.create_call_with_job(&linked_call("b"), &job, day(2, 0)).unwrap();
    check(store, "creating a call with its job", true);
    store.replace_transcript(call.id, &utterances(2, "hi there"), None, day(2, 1)).unwrap();
    check(store, "storing a transcript", true);

    let claimed = claim(store, "w", &[], day(3, 0)).unwrap();
    check(store, "claiming a call's job (the call starts transcribing)", true);
    store.heartbeat_job(&claimed.lease, 0.5, at(3, 0, 10)).unwrap();
    check(store, "a heartbeat", false);
    store.fail_job(&claimed.lease, "flaky", Retry::Backoff(Default::default()), at(3, 0, 20)).unwrap();
    check(store, "a retry (the call is queued again)", true);

    enqueue(store, "cleanup", day(3, 0));
    check(store, "enqueueing a job for no call", false);
    let cleanup = claim(store, "w", &["cleanup"], day(4, 0)).unwrap();
    store.heartbeat_job(&cleanup.lease, 0.5, day(4, 0)).unwrap();
    store.complete_job(&cleanup.lease, day(4, 0)).unwrap();
    check(store, "running a job for no call", false);
    store.list_calls(&Default::default()).unwrap();
    store.call_utterances(call.id).unwrap();
    store.list_jobs(&Default::default()).unwrap();
    assert!(store.replace_transcript(call.id, &utterances(2, "x")[1..], None, day(5, 0)).is_err());
    check(store, "reads and a refused replacement", false);
}
