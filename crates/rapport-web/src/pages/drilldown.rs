//! The people behind a number. Each chart on the overview links here with its filters in the
//! query string; the rows are selected from the same cached facts the reports use, by the
//! definitions in `rapport_funnel`:
//!
//! - `stage=S`: people with an event to `S` in the period (the funnel's "reached");
//!   with `reason=R`, only rejections with that reason code;
//! - `outcome=pending`: people handed over in the period whose latest event is still `mql`;
//! - `sla=breached`: people with a handoff in the period whose first sales response came
//!   later than the SLA, or never came and the deadline passed;
//! - `cohort=YYYY-MM` with `reached=sal|not_sal|opportunity|customer`: people whose first
//!   handoff in the period fell in that month, and whether they went on to that stage;
//! - `deals=open|won`: primary contacts of the period's open deals or won deals;
//! - `touched_campaign=C`: contacts of deals created in the period touched by campaign `C`
//!   before the deal (the deals the attribution credits to it).
//!
//! Without any of these it lists people by current stage and owner straight from the store.
//! Reps and team managers see only the leads they may see.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{Duration, Utc};
use maud::html;
use rapport_app::permissions::{self, Action, Scope};
use rapport_domain::{
    AttributionFacts, FunnelFacts, OpportunityOutcome, PersonId, Stage, StageFact, TouchKind,
};
use rapport_store::{PersonView, Store};
use serde::Deserialize;

use crate::format::{date, query_escape};
use crate::layout::page as layout;
use crate::pages::ReportFilters;
use crate::session::Viewer;
use crate::{PageError, WebState};

const PAGE_SIZE: usize = 100;

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct DrillQuery {
    #[serde(flatten)]
    filters: ReportFilters,
    stage: Option<String>,
    reason: Option<String>,
    outcome: Option<String>,
    sla: Option<String>,
    cohort: Option<String>,
    reached: Option<String>,
    deals: Option<String>,
    touched_campaign: Option<String>,
    offset: Option<String>,
}

/// One filter of the drill-down: does this person, with these stage events, match it?
type PersonTest<'a> = Box<dyn Fn(PersonId, &[&StageFact]) -> bool + 'a>;

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl DrillQuery {
    fn uses_facts(&self) -> bool {
        [&self.reason, &self.outcome, &self.sla, &self.cohort, &self.deals, &self.touched_campaign]
            .iter()
            .any(|v| given(v).is_some())
            || self.filters != ReportFilters::default()
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(stage) = given(&self.stage) {
            parts.push(format!("reached {stage} in the period"));
        }
        if let Some(reason) = given(&self.reason) {
            parts.push(format!("rejected as {reason}"));
        }
        if given(&self.outcome) == Some("pending") {
            parts.push("handed over and still waiting for sales".into());
        }
        if given(&self.sla) == Some("breached") {
            parts.push("handoff SLA breached".into());
        }
        if let Some(month) = given(&self.cohort) {
            parts.push(format!(
                "first handed over in {month}, {}",
                given(&self.reached).unwrap_or("any outcome")
            ));
        }
        if let Some(deals) = given(&self.deals) {
            parts.push(format!("primary contacts of {deals} deals"));
        }
        if let Some(campaign) = given(&self.touched_campaign) {
            parts.push(format!("deal contacts touched by campaign {campaign}"));
        }
        if parts.is_empty() {
            "all people".into()
        } else {
            parts.join("; ")
        }
    }
}

fn parse_stage(text: &str) -> Result<Stage, PageError> {
    Stage::parse(text).ok_or_else(|| PageError::BadRequest(format!("stage: `{text}` is not a stage")))
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<DrillQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadLeads)?;
    let offset: usize = match given(&query.offset) {
        None => 0,
        Some(text) => {
            text.parse().map_err(|_| PageError::BadRequest(format!("offset: `{text}` is not a number")))?
        }
    };
    let report_query = query.filters.query()?;
    let stage = given(&query.stage).map(parse_stage).transpose()?;
    let cache = Arc::clone(&state.reports);
    let user = viewer.user.clone();
    let description = query.describe();
    let uses_facts = query.uses_facts();
    let sla_hours = state.sla_hours;
    let selection = query.clone();
    let (people, total) = state
        .run(move |store| {
            let scope = permissions::scope(store, &user)?;
            if !uses_facts {
                // A plain list: by current stage and owner, straight from the store.
                let mut people = store.list_people(&rapport_store::PeopleQuery {
                    stage,
                    owner: match &scope {
                        Scope::OnlyOf(users) if users.len() == 1 => Some(users[0]),
                        _ => None,
                    },
                    limit: PAGE_SIZE as u32,
                    offset: offset as u32,
                })?;
                if let Scope::OnlyOf(_) = scope {
                    people.retain(|person| visible(store, &scope, person));
                }
                let count = people.len();
                return Ok::<_, PageError>((people, count));
            }
            // The selection is the costly part (every stage event of the period, grouped by
            // person), so it is kept until the store changes; the viewer's scope and the page
            // are applied to it on each view.
            let mut key = selection.clone();
            key.offset = None;
            let minute = Utc::now().timestamp().div_euclid(60);
            let key = format!("{key:?}|{report_query:?}|{sla_hours}|{minute}");
            let selected = cache.people_selections.get_or_load(store, &key, || {
                let funnel = cache.funnel_facts(store, &report_query.filter)?;
                let mut ids =
                    select(&funnel, &selection, stage, report_query.from, report_query.to, sla_hours)?;
                if let Some(campaign) = given(&selection.touched_campaign) {
                    let attribution = cache.attribution_facts(store, &report_query.filter)?;
                    let touched = touched_by(&attribution, campaign, report_query.from, report_query.to);
                    ids = Some(match ids {
                        Some(ids) => ids.into_iter().filter(|id| touched.contains(id)).collect(),
                        None => touched.into_iter().collect(),
                    });
                }
                let mut ids = ids.unwrap_or_default();
                ids.sort_unstable_by_key(|id| std::cmp::Reverse(id.0));
                Ok::<_, PageError>(ids)
            })?;
            let mut ids = Vec::clone(&selected);
            if let Scope::OnlyOf(_) = &scope {
                let funnel = cache.funnel_facts(store, &report_query.filter)?;
                let allowed = allowed_owners(store, &scope)?;
                let owners: HashMap<PersonId, Option<&str>> =
                    funnel.people.iter().map(|p| (p.person_id, p.owner.as_deref())).collect();
                ids.retain(|id| {
                    owners.get(id).copied().flatten().is_some_and(|owner| allowed.contains(owner))
                });
            }
            let total = ids.len();
            let mut people = Vec::new();
            for id in ids.into_iter().skip(offset).take(PAGE_SIZE) {
                if let Some(person) = store.person(id)? {
                    people.push(person);
                }
            }
            Ok((people, total))
        })
        .await?;
    let next_offset = offset + PAGE_SIZE;
    let kept = hidden(&query);
    let kept: Vec<(&str, &str)> = kept.iter().map(|(key, value)| (*key, value.as_str())).collect();
    let content = html! {
        (query.filters.form("/people", &kept))
        p #drilldown-summary { strong { (total) } " people: " (description) "." }
        div.table-wrap {
            table #people {
                thead { tr { th { "Email" } th { "Name" } th { "Stage" } th { "Since" } th { "Owner" } th { "Source" } th { "Account" } } }
                tbody {
                    @for person in &people {
                        @let record = &person.person.record;
                        tr {
                            td { a href=(format!("/people/{}", query_escape(record.email.as_str()))) { (record.email.as_str()) } }
                            td { (record.first_name.as_deref().unwrap_or("")) " " (record.last_name.as_deref().unwrap_or("")) }
                            td { (person.stage.map_or("–", |s| s.as_str())) }
                            td { (person.stage_since.map(date).unwrap_or_default()) }
                            td { (person.owner_email.as_deref().unwrap_or("–")) }
                            td { (record.source.as_deref().unwrap_or("–")) }
                            td {
                                @if let Some(account) = &person.account {
                                    @if let Some(domain) = &account.record.domain {
                                        a href=(format!("/accounts/{}", query_escape(domain))) { (account.record.name) }
                                    } @else {
                                        (account.record.name)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if total > next_offset {
            p { a href=(next_link(&query, next_offset)) { "Next " (PAGE_SIZE) } }
        }
    };
    Ok(Html(layout(&viewer, "People", "/people", &["filters.js"], content).into_string()))
}

fn visible(store: &dyn Store, scope: &Scope, person: &PersonView) -> bool {
    let owner = person
        .owner_email
        .as_deref()
        .and_then(|email| rapport_domain::EmailAddress::parse(email).ok())
        .and_then(|email| store.user_by_email(&email).ok().flatten());
    scope.allows(owner.map(|user| user.id))
}

fn allowed_owners(store: &dyn Store, scope: &Scope) -> Result<HashSet<String>, PageError> {
    let Scope::OnlyOf(ids) = scope else { return Ok(HashSet::new()) };
    Ok(store
        .list_users()?
        .into_iter()
        .filter(|user| ids.contains(&user.id))
        .map(|user| user.record.email.to_string())
        .collect())
}

/// The people the facts-based filters select, or `None` when only `touched_campaign` applies.
fn select(
    facts: &FunnelFacts,
    query: &DrillQuery,
    stage: Option<Stage>,
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
    sla_hours: u32,
) -> Result<Option<Vec<PersonId>>, PageError> {
    let in_period = |event: &StageFact| from <= event.at && event.at < to;
    let mut by_person: HashMap<PersonId, Vec<&StageFact>> = HashMap::new();
    for event in &facts.events {
        by_person.entry(event.person_id).or_default().push(event);
    }
    for events in by_person.values_mut() {
        events.sort_by_key(|event| (event.at, event.sequence));
    }
    let reason = given(&query.reason);
    let mut first_response: HashMap<PersonId, Vec<chrono::DateTime<Utc>>> = HashMap::new();
    if given(&query.sla) == Some("breached") {
        for touch in facts.sales_touches.iter().filter(|t| t.kind == TouchKind::SalesActivity) {
            first_response.entry(touch.person_id).or_default().push(touch.at);
        }
    }
    let mut tests: Vec<PersonTest<'_>> = Vec::new();
    if let Some(stage) = stage {
        tests.push(Box::new(move |_, events| {
            events
                .iter()
                .any(|e| e.to == stage && in_period(e) && (reason.is_none() || e.reason.as_deref() == reason))
        }));
    } else if let Some(reason) = reason {
        tests.push(Box::new(move |_, events| {
            events
                .iter()
                .any(|e| e.to == Stage::Rejected && in_period(e) && e.reason.as_deref() == Some(reason))
        }));
    }
    if given(&query.outcome) == Some("pending") {
        tests.push(Box::new(move |_, events| {
            events.iter().any(|e| e.to == Stage::Mql && in_period(e))
                && events.last().is_some_and(|e| e.to == Stage::Mql)
        }));
    }
    if given(&query.sla) == Some("breached") {
        let sla = Duration::hours(i64::from(sla_hours));
        let now = Utc::now();
        let touches = &first_response;
        tests.push(Box::new(move |person, events| {
            events.iter().enumerate().any(|(index, handoff)| {
                if handoff.to != Stage::Mql || handoff.owner.is_none() || !in_period(handoff) {
                    return false;
                }
                let by_event = events[index + 1..]
                    .iter()
                    .find(|e| matches!(e.to, Stage::Sal | Stage::Rejected | Stage::Recycled))
                    .map(|e| e.at);
                let by_touch = touches
                    .get(&person)
                    .and_then(|ts| ts.iter().filter(|t| **t >= handoff.at).min().copied());
                let response = [by_event, by_touch].into_iter().flatten().min();
                match response {
                    Some(at) => at - handoff.at > sla,
                    None => now - handoff.at > sla,
                }
            })
        }));
    }
    if let Some(month) = given(&query.cohort) {
        let reached = given(&query.reached).unwrap_or("any").to_owned();
        // Funnel stages at or beyond the target (the cohort definition); side exits never are.
        let later = |stage: Stage, target: Stage| Stage::FUNNEL.contains(&stage) && stage >= target;
        tests.push(Box::new(move |_, events| {
            let Some(first) = events.iter().position(|e| e.to == Stage::Mql && in_period(e)) else {
                return false;
            };
            if events[first].at.format("%Y-%m").to_string() != month {
                return false;
            }
            let after = &events[first + 1..];
            let went = |target: Stage| after.iter().any(|e| later(e.to, target));
            match reached.as_str() {
                "sal" => went(Stage::Sal),
                "not_sal" => !went(Stage::Sal),
                "opportunity" => went(Stage::Opportunity),
                "customer" => went(Stage::Customer),
                _ => true,
            }
        }));
    }
    let mut deal_contacts: Option<HashSet<PersonId>> = None;
    if let Some(deals) = given(&query.deals) {
        let wanted: Box<dyn Fn(&rapport_domain::OpportunityFact) -> bool> = match deals {
            "open" => Box::new(|d| {
                d.outcome == OpportunityOutcome::Open && from <= d.created_at && d.created_at < to
            }),
            "won" => Box::new(|d| {
                let closed = d.close_date.unwrap_or(d.created_at);
                d.outcome == OpportunityOutcome::Won && from <= closed && closed < to
            }),
            other => return Err(PageError::BadRequest(format!("deals: `{other}` is not open or won"))),
        };
        deal_contacts = Some(
            facts.opportunities.iter().filter(|d| wanted(d)).filter_map(|d| d.primary_contact).collect(),
        );
    }
    if tests.is_empty() && deal_contacts.is_none() {
        if given(&query.touched_campaign).is_some() {
            return Ok(None);
        }
        // Only report filters: everyone they select.
        return Ok(Some(facts.people.iter().map(|p| p.person_id).collect()));
    }
    let people: Vec<PersonId> = facts.people.iter().map(|p| p.person_id).collect();
    let empty = Vec::new();
    Ok(Some(
        people
            .into_iter()
            .filter(|id| deal_contacts.as_ref().is_none_or(|set| set.contains(id)))
            .filter(|id| {
                let events = by_person.get(id).unwrap_or(&empty);
                tests.iter().all(|test| test(*id, events))
            })
            .collect(),
    ))
}

/// Contacts of deals created in the period with a touch of `campaign` at or before the deal.
fn touched_by(
    facts: &AttributionFacts,
    campaign: &str,
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
) -> HashSet<PersonId> {
    let mut touches: HashMap<PersonId, Vec<chrono::DateTime<Utc>>> = HashMap::new();
    for touch in facts.touches.iter().filter(|t| t.campaign.as_deref() == Some(campaign)) {
        touches.entry(touch.person_id).or_default().push(touch.at);
    }
    facts
        .opportunities
        .iter()
        .filter(|deal| from <= deal.created_at && deal.created_at < to)
        .filter(|deal| {
            deal.contacts.iter().chain(deal.primary_contact.iter()).any(|contact| {
                touches.get(contact).is_some_and(|times| times.iter().any(|at| *at <= deal.created_at))
            })
        })
        .filter_map(|deal| deal.primary_contact)
        .collect()
}

fn pairs(query: &DrillQuery) -> Vec<(&'static str, String)> {
    [
        ("stage", &query.stage),
        ("reason", &query.reason),
        ("outcome", &query.outcome),
        ("sla", &query.sla),
        ("cohort", &query.cohort),
        ("reached", &query.reached),
        ("deals", &query.deals),
        ("touched_campaign", &query.touched_campaign),
    ]
    .into_iter()
    .filter_map(|(key, value)| given(value).map(|v| (key, v.to_owned())))
    .collect()
}

fn hidden(query: &DrillQuery) -> Vec<(&'static str, String)> {
    pairs(query)
}

fn next_link(query: &DrillQuery, offset: usize) -> String {
    let pairs = pairs(query);
    let offset = offset.to_string();
    let mut extra: Vec<(&str, Option<&str>)> = pairs.iter().map(|(k, v)| (*k, Some(v.as_str()))).collect();
    extra.push(("offset", Some(offset.as_str())));
    query.filters.link("/people", &extra)
}
