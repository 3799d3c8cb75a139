//! Small hand-built facts for the unit tests: times are hours after 2024-01-01 00:00 UTC.

use chrono::{Duration, TimeZone, Utc};
use rapport_domain::{
    FunnelFacts, OpportunityFact, OpportunityId, OpportunityOutcome, PersonFact, PersonId, Stage, StageFact,
    Timestamp, TouchFact, TouchKind, UserId,
};

use crate::params::{FunnelParams, GroupBy};

pub(crate) fn at(hours: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + Duration::hours(hours)
}

pub(crate) fn person(id: i64) -> PersonFact {
    PersonFact {
        person_id: PersonId(id),
        created_at: at(0),
        source: None,
        campaign: None,
        owner: None,
        industry: None,
        employees: None,
    }
}

pub(crate) fn params(
    from: i64,
    to: i64,
    now: i64,
    sla_hours: u32,
    group_by: Option<GroupBy>,
) -> FunnelParams {
    FunnelParams { from: at(from), to: at(to), now: at(now), sla_hours, group_by }
}

pub(crate) fn deal(id: i64, primary: i64, amount_cents: i64, created: i64) -> OpportunityFact {
    OpportunityFact {
        id: OpportunityId(id),
        name: format!("deal {id}"),
        primary_contact: Some(PersonId(primary)),
        contacts: vec![PersonId(primary)],
        amount_cents,
        currency: "USD".to_owned(),
        created_at: at(created),
        close_date: None,
        outcome: OpportunityOutcome::Open,
        lost_reason: None,
    }
}

pub(crate) fn touch(person: i64, hours: i64, campaign: Option<&str>, content: Option<&str>) -> TouchFact {
    TouchFact {
        person_id: PersonId(person),
        at: at(hours),
        kind: TouchKind::WebVisit,
        campaign: campaign.map(str::to_owned),
        content: content.map(str::to_owned),
    }
}

/// Builds [`FunnelFacts`] in any order; `build` puts them in the stores' order.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    facts: FunnelFacts,
    sequence: i64,
}

impl Facts {
    pub fn person(mut self, person: PersonFact) -> Self {
        self.facts.people.push(person);
        self
    }

    pub fn event(mut self, person: i64, hours: i64, to: Stage) -> Self {
        self.push_event(person, hours, to, |_| {});
        self
    }

    /// A handoff to owner 7, which starts the SLA clock.
    pub fn handoff(mut self, person: i64, hours: i64) -> Self {
        self.push_event(person, hours, Stage::Mql, |e| e.owner = Some(UserId(7)));
        self
    }

    pub fn rejection(mut self, person: i64, hours: i64, reason: Option<&str>, note: Option<&str>) -> Self {
        self.push_event(person, hours, Stage::Rejected, |e| {
            e.reason = reason.map(str::to_owned);
            e.note = note.map(str::to_owned);
        });
        self
    }

    /// Events at hours 0, 1, 2, … through `stages`.
    pub fn history(mut self, person: i64, stages: &[Stage]) -> Self {
        for (hours, &stage) in stages.iter().enumerate() {
            self.push_event(person, hours as i64, stage, |_| {});
        }
        self
    }

    pub fn sales_touch(mut self, person: i64, hours: i64) -> Self {
        let mut touch = touch(person, hours, None, None);
        touch.kind = TouchKind::SalesActivity;
        self.facts.sales_touches.push(touch);
        self
    }

    pub fn deal(mut self, deal: OpportunityFact) -> Self {
        self.facts.opportunities.push(deal);
        self
    }

    fn push_event(&mut self, person: i64, hours: i64, to: Stage, edit: impl FnOnce(&mut StageFact)) {
        self.sequence += 1;
        let mut event = StageFact {
            person_id: PersonId(person),
            at: at(hours),
            to,
            reason: None,
            note: None,
            owner: None,
            sequence: self.sequence,
        };
        edit(&mut event);
        self.facts.events.push(event);
    }

    pub fn build(mut self) -> FunnelFacts {
        self.facts.people.sort_by_key(|p| p.person_id);
        self.facts.events.sort_by_key(|e| (e.person_id, e.at, e.sequence));
        self.facts.sales_touches.sort_by_key(|t| (t.person_id, t.at));
        self.facts
    }
}
