//! Random facts shaped like the stores' output, from a seed: mostly lifecycle-following
//! histories with forced jumps, equal timestamps, boundary-hugging sales touches, orphan events,
//! several currencies, and touches after deals were created.

use chrono::{Duration, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rapport_domain::{
    AttributionFacts, FunnelFacts, OpportunityFact, OpportunityId, OpportunityOutcome, PersonFact, PersonId,
    Stage, StageFact, Timestamp, TouchFact, TouchKind, UserId,
};

pub fn hour(h: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + Duration::hours(h)
}

fn pick<T: Clone>(rng: &mut ChaCha8Rng, options: &[T]) -> T {
    options.choose(rng).expect("options").clone()
}

fn text(options: &[Option<&str>], rng: &mut ChaCha8Rng) -> Option<String> {
    pick(rng, options).map(str::to_owned)
}

/// A likely next stage, or (sometimes) any stage, as forced changes and imports allow.
fn next_stage(rng: &mut ChaCha8Rng, current: Option<Stage>) -> Stage {
    use Stage::*;
    if rng.gen_bool(0.25) {
        return pick(rng, &Stage::ALL);
    }
    let likely: &[Stage] = match current {
        None => &[Subscriber, Lead, Mql],
        Some(Subscriber) => &[Lead, Mql],
        Some(Lead) => &[Mql, Mql, Recycled],
        Some(Mql) => &[Mql, Sal, Sal, Rejected, Recycled],
        Some(Sal) => &[Sql, Opportunity, Rejected, Recycled],
        Some(Sql) => &[Opportunity, Rejected],
        Some(Opportunity) => &[Customer, Lost],
        Some(Customer) => &Stage::ALL,
        Some(Rejected) => &[Recycled, Mql],
        Some(Recycled) => &[Lead, Mql],
        Some(Lost) => &[Recycled, Opportunity],
    };
    pick(rng, likely)
}

fn person_fact(rng: &mut ChaCha8Rng, id: i64) -> PersonFact {
    PersonFact {
        person_id: PersonId(id),
        created_at: hour(rng.gen_range(-400..2000)),
        source: text(&[None, Some("organic"), Some("paid"), Some("referral")], rng),
        campaign: text(&[None, Some("Launch"), Some("Webinar")], rng),
        owner: text(&[None, Some("a@us.com"), Some("b@us.com")], rng),
        industry: text(&[None, Some("software"), Some("retail")], rng),
        employees: rng.gen_bool(0.7).then(|| rng.gen_range(0..7000)),
    }
}

fn history(rng: &mut ChaCha8Rng, person: PersonId, sequence: &mut i64, events: &mut Vec<StageFact>) {
    let mut at = rng.gen_range(-300..2500);
    let mut current = None;
    for _ in 0..rng.gen_range(0..12) {
        // Equal timestamps are common in imports; the sequence orders them.
        if !rng.gen_bool(0.15) {
            at += rng.gen_range(1..200);
        }
        let to = next_stage(rng, current);
        *sequence += rng.gen_range(1..5);
        let rejected = to == Stage::Rejected;
        events.push(StageFact {
            person_id: person,
            at: hour(at),
            to,
            reason: if rejected {
                text(&[None, Some("bad_fit"), Some("junk"), Some("no_budget")], rng)
            } else {
                None
            },
            note: if rejected && rng.gen_bool(0.6) {
                Some(pick(rng, &[String::new(), "  ".to_owned(), format!("note {} {}", person.0, sequence)]))
            } else {
                None
            },
            owner: (to == Stage::Mql && rng.gen_bool(0.7)).then(|| UserId(rng.gen_range(1..4))),
            sequence: *sequence,
        });
        current = Some(to);
    }
}

fn sales_touches(rng: &mut ChaCha8Rng, person: PersonId, events: &[StageFact], touches: &mut Vec<TouchFact>) {
    let handoffs: Vec<Timestamp> = events.iter().filter(|e| e.to == Stage::Mql).map(|e| e.at).collect();
    let mut times = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        // Often exactly at, or exactly a day or two after, a handoff: the SLA's boundaries.
        let time = match (handoffs.choose(rng), rng.gen_range(0..4)) {
            (Some(&h), 0) => h,
            (Some(&h), 1) => h + Duration::hours(pick(rng, &[24, 48, 25])),
            _ => hour(rng.gen_range(-300..2700)),
        };
        times.push(time);
    }
    times.sort();
    touches.extend(times.into_iter().map(|at| TouchFact {
        person_id: person,
        at,
        kind: TouchKind::SalesActivity,
        campaign: None,
        content: None,
    }));
}

fn marketing_touches(rng: &mut ChaCha8Rng, person: PersonId, touches: &mut Vec<TouchFact>) {
    let mut list: Vec<TouchFact> = (0..rng.gen_range(0..7))
        .map(|_| TouchFact {
            person_id: person,
            // Coarse times so touches of a deal often tie.
            at: hour(rng.gen_range(-40..300) * 8),
            kind: if rng.gen_bool(0.1) { TouchKind::SalesActivity } else { pick(rng, &TouchKind::ALL[..9]) },
            campaign: text(&[None, Some("Launch"), Some("Webinar"), Some("Ads")], rng),
            content: text(&[None, Some("Guide"), Some("Case study"), Some("Demo")], rng),
        })
        .collect();
    list.sort_by_key(|t| t.at);
    touches.extend(list);
}

fn deal(rng: &mut ChaCha8Rng, id: i64, persons: &[PersonId]) -> OpportunityFact {
    let primary = pick(rng, persons);
    let mut contacts = vec![primary];
    for _ in 0..rng.gen_range(0..3) {
        let other = pick(rng, persons);
        if !contacts.contains(&other) {
            contacts.push(other);
        }
    }
    let created = rng.gen_range(-300..2400);
    OpportunityFact {
        id: OpportunityId(id),
        name: format!("deal {id}"),
        primary_contact: Some(primary),
        contacts,
        amount_cents: pick(rng, &[0, 1, 7, 100, 999]) + rng.gen_range(0..3) * rng.gen_range(0..1_000_000),
        currency: if rng.gen_bool(0.85) { "USD" } else { "EUR" }.to_owned(),
        created_at: hour(created),
        close_date: rng.gen_bool(0.7).then(|| hour(created + rng.gen_range(0..600))),
        outcome: pick(rng, &[OpportunityOutcome::Open, OpportunityOutcome::Won, OpportunityOutcome::Lost]),
        lost_reason: None,
    }
}

/// Funnel and attribution facts over the same people and deals.
pub fn facts(rng: &mut ChaCha8Rng) -> (FunnelFacts, AttributionFacts) {
    let mut funnel = FunnelFacts::default();
    let mut attribution = AttributionFacts::default();
    let mut sequence = 0;
    let mut id = 0;
    let mut persons = Vec::new();
    for _ in 0..rng.gen_range(5..50) {
        id += rng.gen_range(1..4);
        let person = PersonId(id);
        persons.push(person);
        // A few people have events but no person row (the report must still count them).
        if rng.gen_bool(0.95) {
            funnel.people.push(person_fact(rng, id));
        }
        let first = funnel.events.len();
        history(rng, person, &mut sequence, &mut funnel.events);
        sales_touches(rng, person, &funnel.events[first..], &mut funnel.sales_touches);
        marketing_touches(rng, person, &mut attribution.touches);
    }
    funnel.opportunities = (1..rng.gen_range(1..25)).map(|id| deal(rng, id, &persons)).collect();
    attribution.opportunities = funnel.opportunities.clone();
    attribution.people = funnel.people.clone();
    (funnel, attribution)
}
