//! The generation run: plan the year, write users and the reference rows, then stream the
//! people account by account (each with their lifecycle, deals and touches) through the
//! writer, reporting progress per batch.

use std::collections::HashSet;

use rand::Rng;
use rapport_domain::Stage;
use rapport_store::{PeopleQuery, Store};

use crate::accounts::{plan_accounts, AccountPlan};
use crate::calendar::Calendar;
use crate::calls::{write_calls, CallCandidate, Contact};
use crate::campaigns::Campaigns;
use crate::content::Library;
use crate::deals::opportunity_record;
use crate::lifecycle::simulate;
use crate::people::{draft_person, person_record, Household};
use crate::rng::{pick, stream, DemoRng, Stream};
use crate::touches::person_touches;
use crate::users::{create_users, DemoUsers};
use crate::writer::Writer;
use crate::{DemoError, DemoOptions, DemoProgress, DemoSummary};

/// What every person's generation reads: the year, the campaigns and the content library.
#[derive(Debug)]
pub(crate) struct World {
    pub calendar: Calendar,
    pub campaigns: Campaigns,
    pub library: Library,
    /// Multiplies nurture touches; larger scales have more engaged (longer) histories.
    pub touch_factor: f64,
}

pub(crate) fn run(
    store: &dyn Store,
    options: &DemoOptions,
    progress: &mut dyn FnMut(&DemoProgress),
) -> Result<DemoSummary, DemoError> {
    if !store.list_people(&PeopleQuery { limit: 1, ..PeopleQuery::default() })?.is_empty() {
        return Err(DemoError::NotEmpty);
    }
    let sizes = options.scale.sizes();
    let calendar = Calendar::new(options.anchor);
    let mut catalog_rng = stream(options.seed, Stream::Catalog, 0);
    let campaigns = Campaigns::plan(sizes.campaigns, &calendar, &mut catalog_rng);
    let library = Library::plan(sizes.content);
    let accounts =
        plan_accounts(sizes.accounts, sizes.people, &mut stream(options.seed, Stream::Accounts, 0));
    let world = World { calendar, campaigns, library, touch_factor: sizes.touch_factor };

    let report = |progress: &mut dyn FnMut(&DemoProgress), phase, done, total| {
        progress(&DemoProgress { phase, done, total });
    };
    report(progress, "users", 0, 1);
    let users = create_users(store, sizes.reps)?;
    report(progress, "users", 1, 1);
    let mut writer = Writer::new(store);
    let records: Vec<_> = accounts.iter().map(|a| a.record.clone()).collect();
    let catalog = (world.campaigns.records.len() + world.library.records.len() + records.len()) as u64;
    report(progress, "catalog", 0, catalog);
    let campaigns = &world.campaigns.records;
    writer.write_reference(
        "campaign",
        campaigns,
        |c| c.name.clone(),
        |tx, rows| tx.upsert_campaigns(rows),
    )?;
    let content = &world.library.records;
    writer.write_reference("content", content, |c| c.url.clone(), |tx, rows| tx.upsert_content(rows))?;
    writer.write_reference(
        "account",
        &records,
        |a| a.domain.clone().unwrap_or_default(),
        |tx, rows| tx.upsert_accounts(rows),
    )?;
    report(progress, "catalog", catalog, catalog);

    let total = accounts.iter().map(|a| a.people as u64).sum();
    let mut counters = Counters::default();
    for (number, account) in accounts.iter().enumerate() {
        let mut rng = stream(options.seed, Stream::People, number as u64);
        generate_account(&world, &users, account, number, &mut rng, &mut writer, &mut counters);
        if writer.is_full() {
            writer.flush()?;
            report(progress, "people", writer.written.people, total);
        }
    }
    let written = writer.finish()?;
    report(progress, "people", written.people, total);
    // Calls name people, accounts and deals, so they go in once those are committed.
    let candidates = std::mem::take(&mut counters.call_candidates);
    let calls = write_calls(
        store,
        candidates,
        sizes.calls,
        options.seed,
        &world.calendar,
        &accounts,
        &world.library,
        progress,
    )?;
    Ok(DemoSummary {
        accounts: accounts.len() as u64,
        campaigns: world.campaigns.records.len() as u64,
        content: world.library.records.len() as u64,
        people: written.people,
        touches: written.touches,
        opportunities: written.opportunities,
        stage_events: counters.imported_events + written.transitions,
        calls: calls.calls,
        utterances: calls.utterances,
        users: users.created,
    })
}

#[derive(Debug, Default)]
struct Counters {
    next_person: u64,
    /// Events the stores record on import: person histories and deal events.
    imported_events: u64,
    /// Accepted leads at companies, who may get sales calls.
    call_candidates: Vec<CallCandidate>,
}

/// The people of one account (and the personal-address sign-ups routed with it).
fn generate_account(
    world: &World,
    users: &DemoUsers,
    account: &AccountPlan,
    number: usize,
    rng: &mut DemoRng,
    writer: &mut Writer<'_>,
    counters: &mut Counters,
) {
    let mut household = Household { account, used_locals: HashSet::new() };
    let team = &users.teams[account.team];
    let mut colleagues: Vec<Contact> = Vec::new();
    let mut deals = 0;
    for _ in 0..account.people {
        counters.next_person += 1;
        let draft =
            draft_person(counters.next_person, &mut household, &world.campaigns, &world.calendar, rng);
        let rep = pick(rng, team);
        let mut journey = simulate(&draft, rep, account.size_band, &world.calendar, rng);
        person_touches(&draft, &journey, rep, world, rng, &mut writer.touches);
        let owner = (!journey.mql_at.is_empty()).then_some(&rep.email);
        counters.imported_events += journey.history.len() as u64;
        let history = std::mem::take(&mut journey.history);
        writer.people.push(person_record(&draft, account, owner, history));
        let accepted_at = journey.handoffs.iter().find(|h| h.to == Stage::Sal).map(|h| h.at);
        if !journey.handoffs.is_empty() {
            writer.handoffs.push((draft.email.clone(), journey.handoffs));
        }
        let contact = Contact {
            email: draft.email.clone(),
            first_name: draft.first_name,
            last_name: draft.last_name,
            title: draft.title,
        };
        let mut deal_calls = None;
        let mut buying_team = Vec::new();
        if let Some(deal) = &journey.deal {
            deals += 1;
            // Up to two colleagues already known at the account join the buying team.
            let team_size = colleagues.len().min(rng.gen_range(0..3));
            buying_team = colleagues[colleagues.len() - team_size..].to_vec();
            let emails: Vec<_> = buying_team.iter().map(|c| c.email.clone()).collect();
            let id = format!("demo-o{}-{deals}", number + 1);
            writer.deals.push(opportunity_record(
                id.clone(),
                deal,
                account,
                &draft.email,
                &emails,
                &rep.email,
            ));
            counters.imported_events += 1 + u64::from(deal.closed.is_some());
            deal_calls = Some((id, deal.clone()));
        }
        if !journey.after_deal.is_empty() {
            writer.after_deals.push((draft.email.clone(), journey.after_deal));
        }
        if let (Some(accepted_at), false) = (accepted_at, draft.freemail) {
            counters.call_candidates.push(CallCandidate {
                person_index: draft.index,
                account: number,
                contact: contact.clone(),
                buying_team,
                rep: rep.clone(),
                accepted_at,
                qualified_at: journey.sql_at,
                deal: deal_calls,
            });
        }
        if !draft.freemail {
            colleagues.push(contact);
        }
    }
}
