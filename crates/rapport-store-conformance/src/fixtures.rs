//! Small builders for the records the checks import, so each check states only what matters.

use std::collections::BTreeMap;

use chrono::TimeZone;
use rapport_domain::{
    AccountRecord, Actor, CampaignRecord, ContentRecord, EmailAddress, EventSource, OpportunityOutcome,
    OpportunityRecord, PersonId, PersonRecord, Role, Stage, Timestamp, TouchKind, TouchRecord,
    TransitionRequest, User, UserRecord,
};
use rapport_store::{RowResult, Store, UpsertOutcome, WriteTx};

/// Midnight UTC of the given day of 2024 (day 1 is January 1st), plus `hour` hours.
pub fn day(day_of_year: u32, hour: u32) -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
        + chrono::Duration::days(i64::from(day_of_year) - 1)
        + chrono::Duration::hours(i64::from(hour))
}

pub fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

pub fn account(domain: &str) -> AccountRecord {
    AccountRecord {
        external_id: Some(format!("acc-{domain}")),
        name: format!("{domain} Inc"),
        domain: Some(domain.to_owned()),
        industry: Some("software".to_owned()),
        employees: Some(120),
        country: Some("US".to_owned()),
        annual_revenue: Some(1_500_000.0),
    }
}

pub fn campaign(name: &str) -> CampaignRecord {
    CampaignRecord {
        external_id: None,
        name: name.to_owned(),
        channel: Some("email".to_owned()),
        started_on: Some(day(1, 0)),
        budget: Some(2500.0),
    }
}

pub fn content(url: &str, title: &str) -> ContentRecord {
    ContentRecord {
        external_id: None,
        title: title.to_owned(),
        url: url.to_owned(),
        content_type: Some("blog".to_owned()),
        funnel_stage: Some(rapport_domain::FunnelStage::Top),
    }
}

/// A person created on day 10 with no owner, account domain, campaign or history.
pub fn person(address: &str) -> PersonRecord {
    PersonRecord {
        external_id: None,
        email: email(address),
        first_name: Some("Ana".to_owned()),
        last_name: Some("Lopez".to_owned()),
        title: Some("VP Marketing".to_owned()),
        account_domain: None,
        owner_email: None,
        source: Some("organic".to_owned()),
        campaign: None,
        country: Some("ES".to_owned()),
        created_at: day(10, 0),
        stage_history: Vec::new(),
    }
}

pub fn touch(address: &str, at: Timestamp, kind: TouchKind) -> TouchRecord {
    TouchRecord {
        external_id: None,
        email: email(address),
        occurred_at: at,
        kind,
        channel: Some("web".to_owned()),
        campaign: None,
        content_url: None,
        attributes: BTreeMap::new(),
    }
}

pub fn opportunity(external_id: &str, primary: &str, outcome: OpportunityOutcome) -> OpportunityRecord {
    OpportunityRecord {
        external_id: external_id.to_owned(),
        name: format!("Deal {external_id}"),
        account_domain: None,
        primary_contact: Some(email(primary)),
        contacts: vec![email(primary)],
        owner_email: None,
        amount_cents: 1_234_500,
        currency: "USD".to_owned(),
        stage: "Discovery".to_owned(),
        created_at: day(40, 0),
        close_date: (outcome != OpportunityOutcome::Open).then(|| day(80, 0)),
        outcome,
        lost_reason: (outcome == OpportunityOutcome::Lost).then(|| "price".to_owned()),
    }
}

pub fn user(address: &str, role: Role) -> UserRecord {
    UserRecord { email: email(address), name: format!("User {address}"), team: Some("East".to_owned()), role }
}

pub fn request(to: Stage, at: Timestamp) -> TransitionRequest {
    TransitionRequest {
        to,
        at,
        actor: Actor::System,
        source: EventSource::Cli,
        reason: None,
        note: None,
        owner: None,
        force: false,
    }
}

/// Runs `write` in one transaction and commits it.
pub fn write<T>(store: &dyn Store, write: impl FnOnce(&mut dyn WriteTx) -> T) -> T {
    let mut tx = store.begin_write().unwrap();
    let result = write(&mut *tx);
    tx.commit().unwrap();
    result
}

/// The outcomes of a batch, panicking with the rejection when a row was refused.
pub fn outcomes(results: Vec<RowResult>) -> Vec<UpsertOutcome> {
    results.into_iter().map(|r| r.unwrap_or_else(|rejection| panic!("row rejected: {rejection}"))).collect()
}

/// Imports people and returns their ids, in order.
pub fn import_people(store: &dyn Store, people: &[PersonRecord]) -> Vec<PersonId> {
    let results = write(store, |tx| tx.upsert_people(people).unwrap());
    outcomes(results);
    people.iter().map(|p| store.person_by_email(&p.email).unwrap().unwrap().person.id).collect()
}

/// Imports one person and walks them to `mql` through checked transitions.
pub fn person_at_mql(store: &dyn Store, address: &str) -> PersonId {
    let id = import_people(store, &[person(address)])[0];
    store.transition(id, &request(Stage::Lead, day(11, 0))).unwrap();
    store.transition(id, &request(Stage::Mql, day(12, 0))).unwrap();
    id
}

pub fn add_user(store: &dyn Store, address: &str) -> User {
    store.upsert_user(&user(address, Role::SalesRep)).unwrap()
}

/// The stages of a person's history, oldest first.
pub fn history_stages(store: &dyn Store, person: PersonId) -> Vec<Stage> {
    store.stage_history(person).unwrap().iter().map(|e| e.to).collect()
}
