//! Rough import throughput of both backends: people and touches upserted in batches, first
//! new, then again unchanged (a re-import). Writes into a throw-away schema of the test
//! database (`RAPPORT_TEST_POSTGRES_URL`) and a temporary SQLite file.
//!
//! `cargo run --release -p rapport-store-postgres --example upsert_throughput -- [people] [batch]`

use std::time::Instant;

use chrono::TimeZone;
use rapport_domain::{EmailAddress, PersonRecord, Role, Stage, TouchKind, TouchRecord, UserRecord};
use rapport_store::Store;

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a number"));
    let people_count = args.next().unwrap_or(50_000);
    let batch = args.next().unwrap_or(2_000);
    let url = std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = rapport_store_postgres::TemporarySchema::new(&url, "throughput").unwrap();
    let postgres = schema.open_store().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let sqlite = rapport_store_sqlite::SqliteStore::open(&folder.path().join("rapport.db")).unwrap();

    let start = chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let people: Vec<PersonRecord> = (0..people_count)
        .map(|i| PersonRecord {
            external_id: Some(format!("crm-{i}")),
            email: EmailAddress::parse(&format!("p{i}@d{}.com", i % 5_000)).unwrap(),
            first_name: Some("Ana".into()),
            last_name: Some("Lopez".into()),
            title: Some("VP Marketing".into()),
            account_domain: (i % 3 == 0).then(|| format!("d{}.com", i % 5_000)),
            owner_email: (i % 5 == 0).then(|| EmailAddress::parse(&format!("rep{}@us.com", i % 4)).unwrap()),
            source: Some("organic".into()),
            campaign: Some(format!("Campaign {}", i % 20)),
            country: Some("ES".into()),
            created_at: start + chrono::Duration::minutes(i as i64),
            stage_history: vec![
                (Stage::Lead, start + chrono::Duration::minutes(i as i64 + 60)),
                (Stage::Mql, start + chrono::Duration::minutes(i as i64 + 600)),
            ],
        })
        .collect();
    let touches: Vec<TouchRecord> = (0..people_count * 3)
        .map(|i| TouchRecord {
            external_id: None,
            email: people[i % people_count].email.clone(),
            occurred_at: start + chrono::Duration::minutes(i as i64),
            kind: TouchKind::ALL[i % 9],
            channel: Some("web".into()),
            campaign: (i % 2 == 0).then(|| format!("Campaign {}", i % 20)),
            content_url: None,
            attributes: [("page".to_owned(), format!("/p{}", i % 7))].into(),
        })
        .collect();

    for (name, store) in [("sqlite", &sqlite as &dyn Store), ("postgres", &postgres as &dyn Store)] {
        for rep in 0..4 {
            let email = EmailAddress::parse(&format!("rep{rep}@us.com")).unwrap();
            store
                .upsert_user(&UserRecord { email, name: "Rep".into(), team: None, role: Role::SalesRep })
                .unwrap();
        }
        for pass in ["new", "unchanged"] {
            let rate = timed(&people, batch, |chunk| {
                let mut tx = store.begin_write().unwrap();
                tx.upsert_people(chunk).unwrap();
                tx.commit().unwrap();
            });
            println!("{name:>8} people   {pass:>9}: {rate:>8.0} rows/s");
            let rate = timed(&touches, batch, |chunk| {
                let mut tx = store.begin_write().unwrap();
                tx.upsert_touches(chunk).unwrap();
                tx.commit().unwrap();
            });
            println!("{name:>8} touches  {pass:>9}: {rate:>8.0} rows/s");
        }
        println!("{name:>8} {:?}", store.counts().unwrap());
    }
}

/// Rows per second of writing `rows` in batches of `batch`, one transaction each.
fn timed<T>(rows: &[T], batch: usize, mut write: impl FnMut(&[T])) -> f64 {
    let started = Instant::now();
    rows.chunks(batch).for_each(&mut write);
    rows.len() as f64 / started.elapsed().as_secs_f64()
}
