//! The store's revision: every kind of committed write moves it forward; reads and rolled-back
//! writes leave it alone, so a cache keyed by it is never stale and never reloads for nothing.

use rapport_domain::{Stage, TouchKind};
use rapport_store::{ReasonCodeEntry, Store};

use crate::fixtures::{day, import_people, person, request, touch, user, write};

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
