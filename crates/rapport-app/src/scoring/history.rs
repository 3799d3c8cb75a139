//! The workspace's people as scoring sees them: attributes, touches in time order and stage
//! history, read with the store's existing exports and funnel facts (three streaming reads,
//! no per-person queries).

use std::collections::HashMap;

use rapport_domain::{AccountId, FactsFilter, PersonId, Stage, Timestamp};
use rapport_scoring::definition::{HistoryPerson, PersonInput, TouchInput};
use rapport_store::Store;

use crate::AppError;

/// One person with everything the rules and the model look at.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringPerson {
    pub id: PersonId,
    pub email: String,
    pub account_id: Option<AccountId>,
    pub account_name: Option<String>,
    pub history: HistoryPerson,
    /// Stage events (time, stage), oldest first.
    pub events: Vec<(Timestamp, Stage)>,
}

impl ScoringPerson {
    /// When marketing first handed the person to sales, if ever.
    pub fn first_handoff(&self) -> Option<Timestamp> {
        self.events.iter().find(|(_, stage)| *stage == Stage::Mql).map(|(at, _)| *at)
    }

    /// The last time anything happened to the person (a touch or a stage event).
    pub fn last_activity(&self) -> Timestamp {
        let touch = self.history.touches.last().map(|t| t.at);
        let event = self.events.last().map(|e| e.0);
        [Some(self.history.created_at), touch, event]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.history.created_at)
    }
}

/// Every person of the workspace, in id order.
pub fn load(store: &dyn Store) -> Result<Vec<ScoringPerson>, AppError> {
    let mut people = Vec::new();
    let mut index: HashMap<PersonId, usize> = HashMap::new();
    store.export_people(&mut |view| {
        let account = view.account.as_ref();
        let record = &view.person.record;
        let input = PersonInput {
            title: record.title.clone(),
            email_domain: Some(record.email.domain().to_owned()),
            source: record.source.clone(),
            campaign: record.campaign.clone(),
            country: record.country.clone().or_else(|| account.and_then(|a| a.record.country.clone())),
            industry: account.and_then(|a| a.record.industry.clone()),
            employees: account.and_then(|a| a.record.employees),
        };
        index.insert(view.person.id, people.len());
        people.push(ScoringPerson {
            id: view.person.id,
            email: record.email.to_string(),
            account_id: account.map(|a| a.id),
            account_name: account.map(|a| a.record.name.clone()),
            history: HistoryPerson {
                input,
                created_at: record.created_at,
                touches: Vec::new(),
                stages: Vec::new(),
            },
            events: Vec::new(),
        });
        Ok(())
    })?;
    store.export_touches(&mut |touch| {
        if let Some(&i) = index.get(&touch.person_id) {
            people[i].history.touches.push(TouchInput {
                at: touch.occurred_at,
                kind: touch.kind,
                campaign: touch.campaign,
                content_url: touch.content_url,
                attributes: touch.attributes,
            });
        }
        Ok(())
    })?;
    let facts = store.funnel_facts(&FactsFilter::default())?;
    for event in facts.events {
        if let Some(&i) = index.get(&event.person_id) {
            people[i].events.push((event.at, event.to));
            people[i].history.stages.push(event.to);
        }
    }
    for person in &mut people {
        // Stable: touches at one instant keep their id order.
        person.history.touches.sort_by_key(|t| t.at);
        person.events.sort_by_key(|e| e.0);
    }
    Ok(people)
}

/// One person, by email, with all their touches and history.
pub fn load_one(store: &dyn Store, email: &str) -> Result<ScoringPerson, AppError> {
    let view = crate::leads::find_person(store, email)?;
    let account = view.account.as_ref();
    let record = &view.person.record;
    let mut touches: Vec<TouchInput> = store
        .recent_touches(view.person.id, u32::MAX)?
        .into_iter()
        .rev()
        .map(|touch| TouchInput {
            at: touch.occurred_at,
            kind: touch.kind,
            campaign: touch.campaign,
            content_url: touch.content_url,
            attributes: touch.attributes,
        })
        .collect();
    touches.sort_by_key(|t| t.at);
    let events: Vec<(Timestamp, Stage)> =
        store.stage_history(view.person.id)?.iter().map(|e| (e.at, e.to)).collect();
    Ok(ScoringPerson {
        id: view.person.id,
        email: record.email.to_string(),
        account_id: account.map(|a| a.id),
        account_name: account.map(|a| a.record.name.clone()),
        history: HistoryPerson {
            input: PersonInput {
                title: record.title.clone(),
                email_domain: Some(record.email.domain().to_owned()),
                source: record.source.clone(),
                campaign: record.campaign.clone(),
                country: record.country.clone().or_else(|| account.and_then(|a| a.record.country.clone())),
                industry: account.and_then(|a| a.record.industry.clone()),
                employees: account.and_then(|a| a.record.employees),
            },
            created_at: record.created_at,
            touches,
            stages: events.iter().map(|e| e.1).collect(),
        },
        events,
    })
}
