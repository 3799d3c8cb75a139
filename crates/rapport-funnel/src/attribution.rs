//! Attribution: which campaigns and content get credit for the deals created in a period.
//!
//! - **Deals**: opportunities created in `[from, to)`. A deal's **won** amount is its amount when
//!   its outcome is won (whenever it closed), else nothing.
//! - **Touches of a deal**: the touches of each of its contacts (the primary contact first, then
//!   the others, duplicates ignored) at or before the deal's creation (the store's facts hold
//!   exactly those, `<=`), sales activity excluded. They are ordered by time; ties keep the
//!   contact order, then the facts' order.
//! - **Models**: `first` gives everything to the first touch, `last` to the last one, `linear`
//!   splits equally. `w` (W-shaped) gives 30% to the first touch, 30% to the lead-creation touch
//!   (the touch nearest the primary contact's `created_at`, or the earliest `created_at` among
//!   the contacts when the primary one is unknown; the earlier touch on a tie; the first touch
//!   when no time is known) and 30% to the opportunity-creation touch (the last one). Roles on
//!   the same touch add up (first = lead-creation gets 60%); the other touches share the
//!   remaining 10% equally; when there is no other touch the role weights are renormalised to
//!   100% (one touch: 100%; two: 2/3 and 1/3 when one holds two roles).
//! - **Cents**: each deal's amount is split over its touches with the largest-remainder method
//!   (shares rounded down; the left-over cents one each to the largest remainders, the earlier
//!   touch on a tie), so every touch's credit is whole cents and the credits of a deal sum to its
//!   amount exactly. Won credit uses the same split.
//! - **Rows**: one per campaign and one per content title of the touches (`null` for touches
//!   without one), so each list's credits sum exactly, per currency, to the attributed totals.
//!   `deals_touched` counts deals with at least one touch of that key (even when the model gives
//!   the key no credit), `touches` counts those touches. A row lists a deal's currency as soon as
//!   the key touched it (possibly with 0 credited); `credited_won` only for won deals.
//! - **Unattributed**: deals without any touch; listed by id.

use std::ops::Range;

use rapport_domain::{
    AttributionFacts, OpportunityFact, OpportunityId, OpportunityOutcome, PersonId, Timestamp, TouchFact,
    TouchKind,
};
use serde::{Deserialize, Serialize};

use crate::allocation::{split_cents, weights};
use crate::hashing::FastMap;
use crate::money::Amounts;
use crate::order;
use crate::params::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributionModel {
    First,
    Last,
    Linear,
    /// W-shaped.
    #[serde(alias = "w_shaped")]
    W,
}

impl AttributionModel {
    pub const ALL: [AttributionModel; 4] = [Self::First, Self::Last, Self::Linear, Self::W];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::Last => "last",
            Self::Linear => "linear",
            Self::W => "w",
        }
    }

    /// Accepts the serialised names and `w-shaped` / `w_shaped`.
    pub fn parse(input: &str) -> Option<Self> {
        match input.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "w_shaped" => Some(Self::W),
            other => Self::ALL.into_iter().find(|m| m.as_str() == other),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributionParams {
    pub from: Timestamp,
    /// Exclusive.
    pub to: Timestamp,
    pub model: AttributionModel,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealTotals {
    pub deals: u64,
    pub pipeline: Amounts,
    pub won: Amounts,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnattributedDeals {
    pub deals: u64,
    pub pipeline: Amounts,
    pub won: Amounts,
    /// Ascending.
    pub opportunities: Vec<OpportunityId>,
}

/// The credit one campaign or content title earned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRow {
    pub key: Option<String>,
    pub deals_touched: u64,
    pub touches: u64,
    pub credited_pipeline: Amounts,
    pub credited_won: Amounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributionReport {
    pub from: Timestamp,
    pub to: Timestamp,
    pub model: AttributionModel,
    /// Every deal created in the period.
    pub total: DealTotals,
    /// The deals with at least one touch; the credits below sum to these.
    pub attributed: DealTotals,
    pub unattributed: UnattributedDeals,
    /// Sorted by key, `null` first.
    pub by_campaign: Vec<CreditRow>,
    pub by_content: Vec<CreditRow>,
}

/// The currencies of the report's deals, so the sums made per touch index a small array rather
/// than look a currency up in a map (that was most of the report's time).
#[derive(Debug, Default)]
struct Currencies<'a> {
    names: Vec<&'a str>,
}

impl<'a> Currencies<'a> {
    fn index(&mut self, name: &'a str) -> usize {
        match self.names.iter().position(|known| *known == name) {
            Some(index) => index,
            None => {
                self.names.push(name);
                self.names.len() - 1
            }
        }
    }
}

/// Cents per currency index; `None` for a currency the row never saw.
#[derive(Debug, Default)]
struct PerCurrency(Vec<Option<i64>>);

impl PerCurrency {
    fn add(&mut self, currency: usize, cents: i64) {
        if self.0.len() <= currency {
            self.0.resize(currency + 1, None);
        }
        *self.0[currency].get_or_insert(0) += cents;
    }

    fn into_amounts(self, currencies: &Currencies<'_>) -> Amounts {
        let mut amounts = Amounts::default();
        for (index, cents) in self.0.into_iter().enumerate() {
            if let Some(cents) = cents {
                amounts.add(currencies.names[index], cents);
            }
        }
        amounts
    }
}

#[derive(Debug, Default)]
struct RowSums {
    deals_touched: u64,
    touches: u64,
    /// The last deal counted in `deals_touched`, so each deal counts once.
    last_deal: Option<usize>,
    pipeline: PerCurrency,
    won: PerCurrency,
}

/// One touch's credit: which deal, in which currency, whether won, how many cents.
#[derive(Debug, Clone, Copy)]
struct Credit {
    deal: usize,
    currency: usize,
    won: bool,
    cents: i64,
}

/// Credit rows by a borrowed key while deals are walked.
#[derive(Debug, Default)]
struct Credits<'a> {
    rows: FastMap<Option<&'a str>, RowSums>,
}

impl<'a> Credits<'a> {
    fn credit(&mut self, key: Option<&'a str>, credit: Credit) {
        let row = self.rows.entry(key).or_default();
        if row.last_deal != Some(credit.deal) {
            row.last_deal = Some(credit.deal);
            row.deals_touched += 1;
        }
        row.touches += 1;
        row.pipeline.add(credit.currency, credit.cents);
        if credit.won {
            row.won.add(credit.currency, credit.cents);
        }
    }

    /// Sorted by key, `null` first.
    fn finish(self, currencies: &Currencies<'_>) -> Vec<CreditRow> {
        let mut rows: Vec<CreditRow> = self
            .rows
            .into_iter()
            .map(|(key, sums)| CreditRow {
                key: key.map(str::to_owned),
                deals_touched: sums.deals_touched,
                touches: sums.touches,
                credited_pipeline: sums.pipeline.into_amounts(currencies),
                credited_won: sums.won.into_amounts(currencies),
            })
            .collect();
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        rows
    }
}

fn add_deal(totals: &mut DealTotals, deal: &OpportunityFact) {
    totals.deals += 1;
    totals.pipeline.add(&deal.currency, deal.amount_cents);
    if deal.outcome == OpportunityOutcome::Won {
        totals.won.add(&deal.currency, deal.amount_cents);
    }
}

pub fn attribution_report(facts: &AttributionFacts, params: &AttributionParams) -> AttributionReport {
    let touches = order::in_order(&facts.touches, order::touch_key);
    let touch_ranges = ranges_by_person(&touches);
    let created: FastMap<PersonId, Timestamp> =
        facts.people.iter().map(|p| (p.person_id, p.created_at)).collect();
    let period = Period { from: params.from, to: params.to };

    let mut total = DealTotals::default();
    let mut attributed = DealTotals::default();
    let mut unattributed = UnattributedDeals::default();
    let mut by_campaign = Credits::default();
    let mut by_content = Credits::default();
    let mut currencies = Currencies::default();
    // Scratch space reused for every deal.
    let (mut contacts, mut deal_touches, mut times, mut w, mut shares) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (deal_index, deal) in facts.opportunities.iter().enumerate() {
        if !period.contains(deal.created_at) {
            continue;
        }
        add_deal(&mut total, deal);
        contacts.clear();
        for &person in deal.primary_contact.iter().chain(&deal.contacts) {
            if !contacts.contains(&person) {
                contacts.push(person);
            }
        }
        deal_touches.clear();
        for &person in &contacts {
            let Some(range) = touch_ranges.get(&person) else { continue };
            let own = &touches[range.clone()];
            let before = own.partition_point(|t| t.at <= deal.created_at);
            deal_touches.extend(own[..before].iter().filter(|t| t.kind != TouchKind::SalesActivity));
        }
        if deal_touches.is_empty() {
            unattributed.deals += 1;
            unattributed.pipeline.add(&deal.currency, deal.amount_cents);
            if deal.outcome == OpportunityOutcome::Won {
                unattributed.won.add(&deal.currency, deal.amount_cents);
            }
            unattributed.opportunities.push(deal.id);
            continue;
        }
        add_deal(&mut attributed, deal);
        // Stable: equal times keep the contact order, then the facts' order.
        deal_touches.sort_by_key(|t: &&TouchFact| t.at);
        let lead_created = lead_created(deal, &contacts, &created);
        times.clear();
        times.extend(deal_touches.iter().map(|t| t.at));
        weights(params.model, &times, lead_created, &mut w);
        split_cents(deal.amount_cents, &w, &mut shares);
        let currency = currencies.index(&deal.currency);
        let won = deal.outcome == OpportunityOutcome::Won;
        for (touch, &cents) in deal_touches.iter().zip(&shares) {
            let credit = Credit { deal: deal_index, currency, won, cents };
            by_campaign.credit(touch.campaign.as_deref(), credit);
            by_content.credit(touch.content.as_deref(), credit);
        }
    }
    unattributed.opportunities.sort_unstable();
    AttributionReport {
        from: params.from,
        to: params.to,
        model: params.model,
        total,
        attributed,
        unattributed,
        by_campaign: by_campaign.finish(&currencies),
        by_content: by_content.finish(&currencies),
    }
}

/// When the deal's lead was created: the primary contact's record, else the earliest contact's.
fn lead_created(
    deal: &OpportunityFact,
    contacts: &[PersonId],
    created: &FastMap<PersonId, Timestamp>,
) -> Option<Timestamp> {
    deal.primary_contact
        .and_then(|primary| created.get(&primary).copied())
        .or_else(|| contacts.iter().filter_map(|c| created.get(c).copied()).min())
}

/// Where each person's touches are in touches sorted by person.
fn ranges_by_person(touches: &[TouchFact]) -> FastMap<PersonId, Range<usize>> {
    let mut ranges = FastMap::default();
    let mut start = 0;
    for run in touches.chunk_by(|a, b| a.person_id == b.person_id) {
        ranges.insert(run[0].person_id, start..start + run.len());
        start += run.len();
    }
    ranges
}

#[cfg(test)]
#[path = "attribution_tests.rs"]
mod tests;
