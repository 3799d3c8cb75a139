//! Pipeline and won revenue of the period, by the primary contact's source and campaign.

use rapport_domain::{OpportunityFact, OpportunityOutcome, PersonFact, PersonId, Timestamp};

use crate::hashing::FastMap;
use crate::money::{BreakdownBuilder, KeyedSums, RevenueBreakdown};
use crate::order::Gallop;
use crate::params::{GroupBy, Period};

#[derive(Debug)]
pub(crate) struct Revenue<'a> {
    pub pipeline: RevenueBreakdown,
    pub pipeline_created: RevenueBreakdown,
    pub won: RevenueBreakdown,
    /// Open pipeline and won revenue per group, when grouped.
    pub pipeline_by_group: KeyedSums<'a>,
    pub won_by_group: KeyedSums<'a>,
}

/// When a won deal counts as won: its close date, or its creation when it has none (the time the
/// stores give the contact's `customer` event).
fn won_at(deal: &OpportunityFact) -> Timestamp {
    deal.close_date.unwrap_or(deal.created_at)
}

/// What a deal counts for, read in one sequential pass so the deals are not visited again.
#[derive(Debug)]
struct DealRow<'a> {
    contact: Option<PersonId>,
    currency: &'a str,
    cents: i64,
    created: bool,
    open: bool,
    won: bool,
}

/// Everything a deal is summed by. Deals are first summed by this whole key (one hash lookup
/// per deal), and the few distinct keys then folded into each breakdown.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DealKey<'a> {
    source: Option<&'a str>,
    campaign: Option<&'a str>,
    group: Option<&'a str>,
    currency: &'a str,
}

/// Count and cents of the deals created, open and won.
type DealSums = [(u64, i64); 3];

/// `people` must be sorted by id.
pub(crate) fn revenue<'a>(
    opportunities: &'a [OpportunityFact],
    people: &'a [PersonFact],
    period: &Period,
    group_by: Option<GroupBy>,
) -> Revenue<'a> {
    let mut rows: Vec<DealRow<'a>> = opportunities
        .iter()
        .filter_map(|deal| {
            let created = period.contains(deal.created_at);
            let won = deal.outcome == OpportunityOutcome::Won && period.contains(won_at(deal));
            (created || won).then(|| DealRow {
                contact: deal.primary_contact,
                currency: &deal.currency,
                cents: deal.amount_cents,
                created,
                open: created && deal.outcome == OpportunityOutcome::Open,
                won,
            })
        })
        .collect();
    // By contact, so their people are found by galloping forward instead of a search each.
    rows.sort_unstable_by_key(|row| row.contact);
    let mut lookup = Gallop::new(people);
    let mut sums: FastMap<DealKey<'a>, DealSums> = FastMap::default();
    for row in rows {
        let contact = row.contact.and_then(|id| lookup.find(id));
        let key = DealKey {
            source: contact.and_then(|p| p.source.as_deref()),
            campaign: contact.and_then(|p| p.campaign.as_deref()),
            group: group_by.and_then(|g| g.key(contact)),
            currency: row.currency,
        };
        let entry = sums.entry(key).or_default();
        for (slot, counts) in entry.iter_mut().zip([row.created, row.open, row.won]) {
            if counts {
                slot.0 += 1;
                slot.1 += row.cents;
            }
        }
    }
    let mut pipeline = BreakdownBuilder::default();
    let mut pipeline_created = BreakdownBuilder::default();
    let mut won = BreakdownBuilder::default();
    let mut pipeline_by_group = KeyedSums::default();
    let mut won_by_group = KeyedSums::default();
    for (key, [created, open, won_sums]) in sums {
        let add = |builder: &mut BreakdownBuilder<'a>, (deals, cents): (u64, i64)| {
            if deals > 0 {
                builder.add(key.source, key.campaign, key.currency, deals, cents);
            }
        };
        add(&mut pipeline_created, created);
        add(&mut pipeline, open);
        add(&mut won, won_sums);
        if group_by.is_some() {
            if open.0 > 0 {
                pipeline_by_group.add(key.group, key.currency, open.0, open.1);
            }
            if won_sums.0 > 0 {
                won_by_group.add(key.group, key.currency, won_sums.0, won_sums.1);
            }
        }
    }
    Revenue {
        pipeline: pipeline.finish(),
        pipeline_created: pipeline_created.finish(),
        won: won.finish(),
        pipeline_by_group,
        won_by_group,
    }
}
