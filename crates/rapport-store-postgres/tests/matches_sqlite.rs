//! Differential check: the same pseudo-random batches written to the SQLite and the PostgreSQL
//! backend give the same result for every row and leave the same data behind.
//!
//! PostgreSQL writes batches with set-based statements; this holds them to SQLite's
//! row-at-a-time meaning on what set-based code gets wrong: a key repeated within one batch,
//! an account created by one row and found by a later row's email domain, rejected rows that
//! must create nothing, stage history merged into events appended by transitions.

use std::collections::BTreeMap;

use chrono::TimeZone;
use rapport_domain::{
    AccountRecord, EmailAddress, FactsFilter, OpportunityOutcome, OpportunityRecord, PersonRecord, Role,
    Stage, Timestamp, TouchKind, TouchRecord, TransitionRequest, UserRecord,
};
use rapport_store::{PeopleQuery, Store};
use rapport_store_postgres::TemporarySchema;
use rapport_store_sqlite::SqliteStore;

fn test_url() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A tiny deterministic generator (a linear congruential one): the data must be the same on
/// every run, and no crate is needed for it.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn day(&mut self) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
            + chrono::Duration::hours(self.below(24 * 90) as i64)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Person `n`'s address; the domain follows from `n`, so a repeated `n` is the same person.
fn email(n: u64) -> EmailAddress {
    EmailAddress::parse(&format!("p{n}@d{}.com", n % 16)).unwrap()
}

fn accounts(dice: &mut Dice) -> Vec<AccountRecord> {
    (0..12)
        .map(|_| {
            let d = dice.below(6);
            AccountRecord {
                external_id: dice.chance(60).then(|| format!("acc-{}", dice.below(8))),
                name: format!("Company {d}"),
                domain: dice.chance(90).then(|| format!("d{d}.com")),
                industry: dice.chance(50).then(|| "software".to_owned()),
                employees: dice.chance(70).then(|| dice.below(8000) as u32),
                country: None,
                annual_revenue: dice.chance(50).then(|| dice.below(1000) as f64 * 1000.0),
            }
        })
        .collect()
}

fn people(dice: &mut Dice) -> Vec<PersonRecord> {
    (0..70)
        .map(|_| {
            let n = dice.below(40);
            let stages = [Stage::Subscriber, Stage::Lead, Stage::Mql, Stage::Sal, Stage::Sql];
            PersonRecord {
                external_id: dice.chance(30).then(|| format!("crm-{n}")),
                email: email(n),
                first_name: Some("Ana".to_owned()),
                last_name: None,
                title: Some(dice.pick(&["CMO", "VP Sales", "Analyst"]).to_owned()),
                account_domain: dice.chance(30).then(|| format!("d{}.com", dice.below(20))),
                owner_email: dice
                    .chance(25)
                    .then(|| EmailAddress::parse(&format!("rep{}@us.com", dice.below(4))).unwrap()),
                source: Some(dice.pick(&["organic", "paid_search"]).to_owned()),
                campaign: dice.chance(30).then(|| format!("Campaign {}", dice.below(4))),
                country: None,
                created_at: dice.day(),
                stage_history: (0..dice.below(4)).map(|_| (dice.pick(&stages), dice.day())).collect(),
            }
        })
        .collect()
}

fn touches(dice: &mut Dice) -> Vec<TouchRecord> {
    (0..160)
        .map(|_| {
            let mut attributes = BTreeMap::new();
            if dice.chance(40) {
                attributes.insert("page".to_owned(), format!("/p{}", dice.below(3)));
            }
            TouchRecord {
                external_id: dice.chance(30).then(|| format!("t-{}", dice.below(25))),
                email: email(dice.below(45)),
                occurred_at: dice.day(),
                kind: dice.pick(&TouchKind::ALL),
                channel: dice.chance(80).then(|| dice.pick(&["web", "email"]).to_owned()),
                campaign: dice.chance(30).then(|| format!("Campaign {}", dice.below(6))),
                content_url: dice.chance(20).then(|| format!("https://x.com/{}", dice.below(3))),
                attributes,
            }
        })
        .collect()
}

fn opportunities(dice: &mut Dice) -> Vec<OpportunityRecord> {
    (0..25)
        .map(|_| {
            let outcome =
                dice.pick(&[OpportunityOutcome::Open, OpportunityOutcome::Won, OpportunityOutcome::Lost]);
            OpportunityRecord {
                external_id: format!("o-{}", dice.below(15)),
                name: "Deal".to_owned(),
                account_domain: dice.chance(40).then(|| format!("d{}.com", dice.below(10))),
                primary_contact: dice.chance(90).then(|| email(dice.below(44))),
                contacts: (0..dice.below(3)).map(|_| email(dice.below(40))).collect(),
                owner_email: None,
                amount_cents: dice.below(10_000_000) as i64,
                currency: "USD".to_owned(),
                stage: "Discovery".to_owned(),
                created_at: dice.day(),
                close_date: (outcome != OpportunityOutcome::Open).then(|| dice.day()),
                outcome,
                lost_reason: (outcome == OpportunityOutcome::Lost).then(|| "price".to_owned()),
            }
        })
        .collect()
}

/// Writes one generated batch to both stores and checks the row results agree.
fn write_both<T>(
    stores: &[&dyn Store; 2],
    what: &str,
    rows: &[T],
    write: fn(&mut dyn rapport_store::WriteTx, &[T]) -> Vec<rapport_store::RowResult>,
) {
    let results: Vec<_> = stores
        .iter()
        .map(|store| {
            let mut tx = store.begin_write().unwrap();
            let results = write(&mut *tx, rows);
            tx.commit().unwrap();
            results
        })
        .collect();
    assert_eq!(results[0], results[1], "{what}: row results of SQLite (left) and PostgreSQL (right)");
}

/// Every row an export streams.
fn exported<T>(
    export: impl FnOnce(rapport_store::Sink<'_, T>) -> Result<(), rapport_store::StoreError>,
) -> Vec<T> {
    let mut rows = Vec::new();
    export(&mut |row| {
        rows.push(row);
        Ok(())
    })
    .unwrap();
    rows
}

fn debug_lines<T: std::fmt::Debug>(rows: Vec<T>) -> impl Iterator<Item = String> {
    rows.into_iter().map(|row| format!("{row:?}"))
}

/// Everything readable from a store, with stage event ids left out: PostgreSQL may skip ids
/// (an insert that meets an existing dedupe key still draws one), SQLite does not.
fn contents(store: &dyn Store) -> String {
    let mut out: Vec<String> = Vec::new();
    out.extend(debug_lines(exported(|sink| store.export_accounts(sink))));
    out.extend(debug_lines(exported(|sink| store.export_campaigns(sink))));
    out.extend(debug_lines(exported(|sink| store.export_content(sink))));
    let people = exported(|sink| store.export_people(sink));
    for person in &people {
        out.push(format!("{person:?}"));
        for mut event in store.stage_history(person.person.id).unwrap() {
            event.id = rapport_domain::StageEventId(0);
            out.push(format!("{event:?}"));
        }
    }
    out.extend(debug_lines(exported(|sink| store.export_touches(sink))));
    out.extend(debug_lines(exported(|sink| store.export_opportunities(sink))));
    out.push(format!("{:?}", store.counts().unwrap()));
    for stage in Stage::ALL {
        let listed = store.list_people(&PeopleQuery { stage: Some(stage), ..Default::default() }).unwrap();
        out.push(format!("{stage}: {:?}", listed.iter().map(|p| p.person.id).collect::<Vec<_>>()));
    }
    let mut funnel = store.funnel_facts(&FactsFilter::default()).unwrap();
    funnel.events.iter_mut().for_each(|event| event.sequence = 0);
    out.push(format!("{funnel:?}"));
    out.push(format!("{:?}", store.attribution_facts(&FactsFilter::default()).unwrap()));
    out.join("\n")
}

#[test]
fn batches_give_the_same_results_and_data_as_sqlite() {
    let schema = TemporarySchema::new(&test_url(), "differential").unwrap();
    let postgres = schema.open_store().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&folder.path().join("rapport.db")).unwrap();
    let stores: [&dyn Store; 2] = [&sqlite, &postgres];
    for store in stores {
        for rep in 0..3 {
            let email = EmailAddress::parse(&format!("rep{rep}@us.com")).unwrap();
            store
                .upsert_user(&UserRecord { email, name: "Rep".into(), team: None, role: Role::SalesRep })
                .unwrap();
        }
    }
    let mut dice = Dice(7);
    write_both(
        &stores,
        "content",
        &[0, 1].map(|i| rapport_domain::ContentRecord {
            external_id: None,
            title: format!("Guide {i}"),
            url: format!("https://x.com/{i}"),
            content_type: None,
            funnel_stage: None,
        }),
        |tx, rows| tx.upsert_content(rows).unwrap(),
    );
    // The cases set-based writing gets wrong most easily, by hand: an account created by one
    // row and found by a later row's email domain (but not an earlier one's), one person
    // three times in one batch, and a domain clash.
    let mut by_domain = people(&mut Dice(1))[..3].to_vec();
    for (row, (address, domain)) in
        by_domain.iter_mut().zip([("a@d90.com", None), ("b@gmail.com", Some("d90.com")), ("c@d90.com", None)])
    {
        row.email = EmailAddress::parse(address).unwrap();
        row.account_domain = domain.map(str::to_owned);
        row.owner_email = None;
    }
    let mut repeated = by_domain[0].clone();
    repeated.email = EmailAddress::parse("r@d91.com").unwrap();
    let mut again = repeated.clone();
    again.title = Some("Changed".to_owned());
    again.stage_history.push((Stage::Lead, dice.day()));
    by_domain.extend([repeated.clone(), again, repeated]);
    write_both(&stores, "people by hand", &by_domain, |tx, rows| tx.upsert_people(rows).unwrap());
    let mut clash = accounts(&mut dice)[0].clone();
    clash.external_id = Some("acc-clash".to_owned());
    clash.domain = Some("d90.com".to_owned());
    write_both(&stores, "account clash", &[clash], |tx, rows| tx.upsert_accounts(rows).unwrap());
    for round in 0..3 {
        write_both(&stores, "accounts", &accounts(&mut dice), |tx, rows| tx.upsert_accounts(rows).unwrap());
        write_both(&stores, "people", &people(&mut dice), |tx, rows| tx.upsert_people(rows).unwrap());
        write_both(&stores, "touches", &touches(&mut dice), |tx, rows| tx.upsert_touches(rows).unwrap());
        write_both(&stores, "opportunities", &opportunities(&mut dice), |tx, rows| {
            tx.upsert_opportunities(rows).unwrap()
        });
        // Checked transitions between imports, allowed or refused alike.
        for _ in 0..15 {
            let (n, to, at, force) = (dice.below(40), dice.pick(&Stage::ALL), dice.day(), dice.chance(20));
            let request = TransitionRequest {
                to,
                at,
                actor: rapport_domain::Actor::System,
                source: rapport_domain::EventSource::Cli,
                reason: (to == Stage::Rejected).then(|| "bad_fit".to_owned()),
                note: None,
                owner: None,
                force,
            };
            let outcomes: Vec<String> = stores
                .iter()
                .map(|store| match store.person_by_email(&email(n)).unwrap() {
                    Some(view) => format!(
                        "{:?}",
                        store.transition(view.person.id, &request).map(|e| (e.from, e.to, e.forced))
                    ),
                    None => "no such person".to_owned(),
                })
                .collect();
            assert_eq!(outcomes[0], outcomes[1], "round {round}: transition of p{n} to {to}");
        }
    }
    let (expected, found) = (contents(&sqlite), contents(&postgres));
    for (line, (left, right)) in expected.lines().zip(found.lines()).enumerate() {
        assert_eq!(left, right, "line {line} of the stored data: SQLite (left), PostgreSQL (right)");
    }
    assert_eq!(expected.lines().count(), found.lines().count());
}
