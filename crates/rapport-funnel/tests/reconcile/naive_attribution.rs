//! Attribution recomputed the obvious way: for each deal, scan every touch, weigh the touches from
//! their roles, split the cents, then fold the credits into rows.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use rapport_domain::{AttributionFacts, OpportunityOutcome, PersonId, TouchFact, TouchKind};
use rapport_funnel::{
    Amounts, AttributionModel, AttributionParams, AttributionReport, CreditRow, DealTotals, UnattributedDeals,
};

fn add(amounts: &mut Amounts, currency: &str, cents: i64) {
    *amounts.0.entry(currency.to_owned()).or_insert(0) += cents;
}

/// Weights in units of 1/10 of the "others" share, so they are whole numbers: a role is worth
/// 3·others (30%), each other touch 1 (10% / others); with no others, 3 per role.
fn weights(model: AttributionModel, touches: &[&TouchFact], lead_index: usize) -> Vec<i128> {
    let n = touches.len();
    (0..n)
        .map(|i| match model {
            AttributionModel::First => i128::from(i == 0),
            AttributionModel::Last => i128::from(i == n - 1),
            AttributionModel::Linear => 1,
            AttributionModel::W => {
                let roles_of =
                    |j: usize| i128::from(j == 0) + i128::from(j == lead_index) + i128::from(j == n - 1);
                let others = (0..n).filter(|&j| roles_of(j) == 0).count() as i128;
                match (roles_of(i), others) {
                    (0, _) => 1,
                    (roles, 0) => 3 * roles,
                    (roles, others) => 3 * roles * others,
                }
            }
        })
        .collect()
}

/// Largest remainder: floor every exact share, then hand out the missing cents by remainder.
fn split(amount: i64, weights: &[i128]) -> Vec<i64> {
    let total: i128 = weights.iter().sum();
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|w| (i128::from(amount) * w).div_euclid(total))
        .zip(weights.iter().map(|w| (i128::from(amount) * w).rem_euclid(total)))
        .collect();
    let mut shares: Vec<i64> = exact.iter().map(|(floor, _)| *floor as i64).collect();
    let missing = amount - shares.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (Reverse(exact[i].1), i));
    for &i in order.iter().take(missing as usize) {
        shares[i] += 1;
    }
    shares
}

pub fn attribution_report(facts: &AttributionFacts, params: &AttributionParams) -> AttributionReport {
    let mut total = DealTotals::default();
    let mut attributed = DealTotals::default();
    let mut unattributed = UnattributedDeals::default();
    // key -> (row, deals that touched it)
    let mut campaigns: BTreeMap<Option<String>, (CreditRow, BTreeSet<i64>)> = BTreeMap::new();
    let mut contents: BTreeMap<Option<String>, (CreditRow, BTreeSet<i64>)> = BTreeMap::new();
    for deal in &facts.opportunities {
        if deal.created_at < params.from || deal.created_at >= params.to {
            continue;
        }
        let won = deal.outcome == OpportunityOutcome::Won;
        let count = |totals: &mut DealTotals| {
            totals.deals += 1;
            add(&mut totals.pipeline, &deal.currency, deal.amount_cents);
            if won {
                add(&mut totals.won, &deal.currency, deal.amount_cents);
            }
        };
        count(&mut total);
        let mut contacts: Vec<PersonId> = Vec::new();
        for person in deal.primary_contact.into_iter().chain(deal.contacts.iter().copied()) {
            if !contacts.contains(&person) {
                contacts.push(person);
            }
        }
        let mut touches: Vec<(usize, usize, &TouchFact)> = facts
            .touches
            .iter()
            .enumerate()
            .filter(|(_, t)| t.at <= deal.created_at && t.kind != TouchKind::SalesActivity)
            .filter_map(|(index, t)| {
                contacts.iter().position(|c| *c == t.person_id).map(|pos| (pos, index, t))
            })
            .collect();
        touches.sort_by_key(|(pos, index, t)| (t.at, *pos, *index));
        let touches: Vec<&TouchFact> = touches.into_iter().map(|(_, _, t)| t).collect();
        if touches.is_empty() {
            unattributed.deals += 1;
            add(&mut unattributed.pipeline, &deal.currency, deal.amount_cents);
            if won {
                add(&mut unattributed.won, &deal.currency, deal.amount_cents);
            }
            unattributed.opportunities.push(deal.id);
            continue;
        }
        count(&mut attributed);
        let created_of =
            |person: PersonId| facts.people.iter().find(|p| p.person_id == person).map(|p| p.created_at);
        let lead_created = deal
            .primary_contact
            .and_then(created_of)
            .or_else(|| contacts.iter().filter_map(|c| created_of(*c)).min());
        let lead_index = match lead_created {
            None => 0,
            Some(created) => {
                (0..touches.len()).min_by_key(|&i| ((touches[i].at - created).abs(), i)).unwrap()
            }
        };
        let shares = split(deal.amount_cents, &weights(params.model, &touches, lead_index));
        for (touch, cents) in touches.iter().zip(shares) {
            for (map, key) in
                [(&mut campaigns, touch.campaign.clone()), (&mut contents, touch.content.clone())]
            {
                let (row, deals) = map.entry(key).or_default();
                deals.insert(deal.id.0);
                row.touches += 1;
                add(&mut row.credited_pipeline, &deal.currency, cents);
                if won {
                    add(&mut row.credited_won, &deal.currency, cents);
                }
            }
        }
    }
    unattributed.opportunities.sort();
    let rows = |map: BTreeMap<Option<String>, (CreditRow, BTreeSet<i64>)>| -> Vec<CreditRow> {
        map.into_iter()
            .map(|(key, (row, deals))| CreditRow { key, deals_touched: deals.len() as u64, ..row })
            .collect()
    };
    AttributionReport {
        from: params.from,
        to: params.to,
        model: params.model,
        total,
        attributed,
        unattributed,
        by_campaign: rows(campaigns),
        by_content: rows(contents),
    }
}
