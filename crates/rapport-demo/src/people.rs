//! People: who they are (name, title, email at their company or a personal address), where
//! they came from (source, original campaign) and when they first appeared.

use std::collections::HashSet;

use chrono::Duration;
use rand::Rng;
use rapport_domain::{EmailAddress, PersonRecord, Stage, Timestamp};

use crate::accounts::AccountPlan;
use crate::calendar::{at_time_of_day, Calendar};
use crate::campaigns::{Campaign, Campaigns};
use crate::names::{
    email_word, EXECUTIVE_TITLES, FIRST_NAMES, FREEMAIL_DOMAINS, JUNIOR_TITLES, LAST_NAMES,
    PRACTITIONER_TITLES,
};
use crate::rng::{chance, pick, weighted, DemoRng};
use crate::story::{Seniority, SourceProfile, FREEMAIL_FIT, SOURCES};

#[derive(Debug, Clone)]
pub(crate) struct PersonDraft {
    /// 1-based position over the whole demo; makes ids and personal addresses unique.
    pub index: u64,
    pub email: EmailAddress,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub title: &'static str,
    pub seniority: Seniority,
    pub source: &'static SourceProfile,
    /// The original campaign, with the day it started (a webinar's or event's date).
    pub campaign: Option<Campaign>,
    pub created_at: Timestamp,
    /// Signed up with a personal address: belongs to no account.
    pub freemail: bool,
    pub fit: f64,
}

/// Context shared by the people of one account.
pub(crate) struct Household<'a> {
    pub account: &'a AccountPlan,
    /// Local parts already used at the account's domain.
    pub used_locals: HashSet<String>,
}

pub(crate) fn draft_person(
    index: u64,
    household: &mut Household<'_>,
    campaigns: &Campaigns,
    calendar: &Calendar,
    rng: &mut DemoRng,
) -> PersonDraft {
    let source_weights: [f64; SOURCES.len()] = std::array::from_fn(|i| SOURCES[i].weight);
    let source = &SOURCES[weighted(rng, &source_weights)];
    let (campaign, created_at) = origin(source, campaigns, calendar, rng);
    let first_name = *pick(rng, &FIRST_NAMES);
    let last_name = *pick(rng, &LAST_NAMES);
    let practitioner_share = 1.0 - source.junior_share - source.executive_share;
    let seniority = match weighted(rng, &[source.junior_share, practitioner_share, source.executive_share]) {
        0 => Seniority::Junior,
        1 => Seniority::Practitioner,
        _ => Seniority::Executive,
    };
    let title = match seniority {
        Seniority::Junior => *pick(rng, &JUNIOR_TITLES),
        Seniority::Practitioner => *pick(rng, &PRACTITIONER_TITLES),
        Seniority::Executive => *pick(rng, &EXECUTIVE_TITLES),
    };
    let freemail = chance(rng, source.freemail_share);
    let (first, last) = (email_word(first_name), email_word(last_name));
    let address = if freemail {
        format!("{first}.{last}{index}@{}", pick(rng, &FREEMAIL_DOMAINS))
    } else {
        let local = company_local_part(&first, &last, &mut household.used_locals, rng);
        format!("{local}@{}", household.account.domain)
    };
    let email = EmailAddress::parse(&address).expect("generated addresses are valid");
    let fit = if freemail { FREEMAIL_FIT } else { household.account.fit };
    PersonDraft {
        index,
        email,
        first_name,
        last_name,
        title,
        seniority,
        source,
        campaign,
        created_at,
        freemail,
        fit,
    }
}

/// The original campaign and the moment the person first appeared. Event leads appear at the
/// event (the summit brings most); webinar leads register in the weeks before one; the rest
/// arrive on busy days through whatever campaign of their channel was running.
fn origin(
    source: &SourceProfile,
    campaigns: &Campaigns,
    calendar: &Calendar,
    rng: &mut DemoRng,
) -> (Option<Campaign>, Timestamp) {
    let latest = calendar.end - Duration::hours(1);
    match source.name {
        "events" | "webinar" => {
            let dated = campaigns.of_channel(source.channel.unwrap_or_default());
            let weights: Vec<f64> = dated
                .iter()
                .map(|c| if c.name.starts_with("Rapport Summit") { dated.len() as f64 } else { 1.0 })
                .collect();
            let campaign = dated[weighted(rng, &weights)].clone();
            let day = campaign.started.date_naive();
            let created = if source.name == "events" {
                at_time_of_day(day + Duration::days(rng.gen_range(0..2)), rng)
            } else {
                at_time_of_day(day - Duration::days(rng.gen_range(1..22)), rng)
            };
            (Some(campaign), created.clamp(calendar.start(), latest))
        }
        _ => {
            let created = calendar.busy_moment(rng);
            let campaign =
                source.channel.and_then(|channel| campaigns.running(channel, created, rng)).cloned();
            (campaign, created)
        }
    }
}

/// `ana.lopez`, `alopez` or `ana`, numbered when a colleague already has it.
fn company_local_part(first: &str, last: &str, used: &mut HashSet<String>, rng: &mut DemoRng) -> String {
    let base = match weighted(rng, &[70.0, 15.0, 15.0]) {
        0 => format!("{first}.{last}"),
        1 => format!("{}{last}", &first[..1]),
        _ => first.to_owned(),
    };
    let mut local = base.clone();
    let mut number = 2;
    while !used.insert(local.clone()) {
        local = format!("{base}{number}");
        number += 1;
    }
    local
}

/// The record to upsert: `history` holds the stages before any handoff (subscriber, lead),
/// recorded as the CRM had them; `owner` is the rep the person will be handed to.
pub(crate) fn person_record(
    draft: &PersonDraft,
    account: &AccountPlan,
    owner: Option<&EmailAddress>,
    history: Vec<(Stage, Timestamp)>,
) -> PersonRecord {
    PersonRecord {
        external_id: Some(format!("demo-p{}", draft.index)),
        email: draft.email.clone(),
        first_name: Some(draft.first_name.to_owned()),
        last_name: Some(draft.last_name.to_owned()),
        title: Some(draft.title.to_owned()),
        account_domain: (!draft.freemail).then(|| account.domain.clone()),
        owner_email: owner.cloned(),
        source: Some(draft.source.name.to_owned()),
        campaign: draft.campaign.as_ref().map(|c| c.name.clone()),
        country: Some(account.country.to_owned()),
        created_at: draft.created_at,
        stage_history: history,
    }
}
