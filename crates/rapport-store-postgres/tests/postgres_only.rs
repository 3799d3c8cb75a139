//! Checks of what only the PostgreSQL backend has to get right: errors that keep the password
//! out, values PostgreSQL cannot store, and write transactions running side by side.

use std::collections::BTreeMap;

use chrono::TimeZone;
use rapport_domain::{EmailAddress, PersonRecord, Stage, TouchKind, TouchRecord};
use rapport_store::{RowResult, Store, StoreError, UpsertOutcome, WriteTx};
use rapport_store_postgres::{PostgresStore, TemporarySchema};

fn test_url() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn fresh() -> (PostgresStore, TemporarySchema) {
    let schema = TemporarySchema::new(&test_url(), "only").unwrap();
    (schema.open_store().unwrap(), schema)
}

fn person(address: &str) -> PersonRecord {
    PersonRecord {
        external_id: None,
        email: EmailAddress::parse(address).unwrap(),
        first_name: Some("Ana".to_owned()),
        last_name: None,
        title: None,
        account_domain: None,
        owner_email: None,
        source: None,
        campaign: None,
        country: None,
        created_at: chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
        stage_history: vec![(Stage::Lead, chrono::Utc.with_ymd_and_hms(2024, 1, 2, 0, 0, 0).unwrap())],
    }
}

fn touch(address: &str, hour: u32) -> TouchRecord {
    TouchRecord {
        external_id: None,
        email: EmailAddress::parse(address).unwrap(),
        occurred_at: chrono::Utc.with_ymd_and_hms(2024, 2, 1, hour, 0, 0).unwrap(),
        kind: TouchKind::WebVisit,
        channel: None,
        campaign: None,
        content_url: None,
        attributes: BTreeMap::new(),
    }
}

#[test]
fn an_unreachable_server_fails_to_open_without_showing_the_password() {
    let error = PostgresStore::open("postgres://rapport:s3cret-pw@127.0.0.1:1/rapport").unwrap_err();
    let StoreError::Open { location, .. } = &error else { panic!("{error:?}") };
    assert_eq!(location, "postgres://rapport:***@127.0.0.1:1/rapport");
    assert!(!format!("{error} {error:?}").contains("s3cret-pw"), "{error:?}");
    let error = PostgresStore::open("not a url").unwrap_err();
    assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
}

#[test]
fn unstorable_text_rejects_only_its_row() {
    let (store, _schema) = fresh();
    let mut bad = person("bad@acme.com");
    bad.title = Some("C\0O".to_owned());
    let mut tx = store.begin_write().unwrap();
    let results = tx.upsert_people(&[bad, person("good@acme.com")]).unwrap();
    let Err(rejection) = &results[0] else { panic!("{results:?}") };
    assert_eq!(rejection.field, "title");
    assert_eq!(results[1], Ok(UpsertOutcome::Inserted));
    let mut bad_touch = touch("good@acme.com", 1);
    bad_touch.attributes.insert("page".to_owned(), "\0".to_owned());
    let results = tx.upsert_touches(&[bad_touch, touch("good@acme.com", 2)]).unwrap();
    assert!(matches!(&results[0], Err(r) if r.field == "attributes"), "{results:?}");
    tx.commit().unwrap();
    let counts = store.counts().unwrap();
    assert_eq!((counts.people, counts.touches), (1, 1), "the transaction went on after the rejections");
    let user = rapport_domain::UserRecord {
        email: EmailAddress::parse("rep@us.com").unwrap(),
        name: "R\0p".to_owned(),
        team: None,
        role: rapport_domain::Role::SalesRep,
    };
    assert!(matches!(store.upsert_user(&user), Err(StoreError::Invalid { field, .. }) if field == "name"));
}

/// Runs `write` in two transactions at once, the second started while the first has written
/// but not committed: the second waits for the first's rows, then must find them instead of
/// failing on their keys. Returns the second's results.
fn race<T: Sync>(
    store: &PostgresStore,
    rows: &[T],
    write: fn(&mut dyn WriteTx, &[T]) -> Vec<RowResult>,
) -> Vec<RowResult> {
    let mut first = store.begin_write().unwrap();
    assert!(write(&mut *first, rows).iter().all(|r| *r == Ok(UpsertOutcome::Inserted)));
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut tx = store.begin_write().unwrap();
            let results = write(&mut *tx, rows);
            tx.commit().unwrap();
            results
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        first.commit().unwrap();
        second.join().unwrap()
    })
}

#[test]
fn concurrent_imports_of_the_same_rows_both_commit() {
    let (store, _schema) = fresh();
    let people: Vec<PersonRecord> = (0..300).map(|i| person(&format!("p{i}@acme.com"))).collect();
    let second = race(&store, &people, |tx, rows| tx.upsert_people(rows).unwrap());
    assert!(second.iter().all(|r| *r == Ok(UpsertOutcome::Unchanged)), "{second:?}");
    let touches: Vec<TouchRecord> = (0..300).map(|i| touch(&format!("p{i}@acme.com"), i % 24)).collect();
    let second = race(&store, &touches, |tx, rows| tx.upsert_touches(rows).unwrap());
    assert!(second.iter().all(|r| *r == Ok(UpsertOutcome::Unchanged)), "{second:?}");
    let counts = store.counts().unwrap();
    assert_eq!((counts.people, counts.touches, counts.stage_events), (300, 300, 300));
    let view = store.person_by_email(&EmailAddress::parse("p7@acme.com").unwrap()).unwrap().unwrap();
    assert_eq!(view.stage, Some(Stage::Lead));
}
