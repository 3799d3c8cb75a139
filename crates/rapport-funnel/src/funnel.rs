//! The funnel report: one pass over the people's histories feeds every section.

use std::collections::BTreeSet;

use rapport_domain::{FunnelFacts, OpportunityFact, PersonFact, StageFact, Timestamp, TouchFact};
use serde::{Deserialize, Serialize};

use crate::acceptance::{Acceptance, AcceptanceCounts, RejectionReason};
use crate::cohorts::{Cohort, Cohorts};
use crate::handoffs::find_handoffs;
use crate::money::{Amounts, RevenueBreakdown};
use crate::order::{self, Cursor};
use crate::params::{FunnelParams, GroupBy, Period};
use crate::revenue::{revenue, Revenue};
use crate::sla::{Sla, SlaReport};
use crate::stages::{StageCount, Stages};
use crate::time_in_stage::{TimeInStage, TimesInStage};

/// The funnel over a period. See the crate documentation for the definition of every figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelReport {
    pub from: Timestamp,
    pub to: Timestamp,
    pub now: Timestamp,
    pub group_by: Option<GroupBy>,
    /// Handoffs in the period.
    pub mql: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub pending: u64,
    /// `accepted / (accepted + rejected)`.
    pub mql_acceptance_rate: Option<f64>,
    /// The funnel stages in order.
    pub stages: Vec<StageCount>,
    /// Every stage, side exits included, in [`rapport_domain::Stage::ALL`] order.
    pub time_in_stage: Vec<TimeInStage>,
    pub sla: SlaReport,
    pub rejection_reasons: Vec<RejectionReason>,
    /// Open deals created in the period.
    pub pipeline: RevenueBreakdown,
    /// Every deal created in the period, whatever its outcome.
    pub pipeline_created: RevenueBreakdown,
    /// Deals won in the period.
    pub won_revenue: RevenueBreakdown,
    pub cohorts: Vec<Cohort>,
    /// Per group when `group_by` is set (sorted by key, `null` first); empty otherwise.
    pub groups: Vec<GroupRow>,
}

/// The headline figures of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// The attribute's value; `null` for people without one.
    pub key: Option<String>,
    pub mql: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub pending: u64,
    pub mql_acceptance_rate: Option<f64>,
    /// Open deals created in the period.
    pub pipeline: Amounts,
    /// Deals won in the period.
    pub won: Amounts,
}

pub fn funnel_report(facts: &FunnelFacts, params: &FunnelParams) -> FunnelReport {
    let sorted;
    let (people, events, touches) = (&facts.people, &facts.events, &facts.sales_touches);
    let sections = match walk(people, events, touches, &facts.opportunities, params) {
        Some(sections) => sections,
        None => {
            sorted = (
                order::sorted_copy(people, |p| p.person_id),
                order::sorted_copy(events, order::event_key),
                order::sorted_copy(touches, order::touch_key),
            );
            walk(&sorted.0, &sorted.1, &sorted.2, &facts.opportunities, params)
                .expect("sorted facts are in the order the walk needs")
        }
    };
    let Sections { acceptance, stages, times, sla, cohorts, revenue } = sections;
    let groups = match params.group_by {
        Some(_) => group_rows(&acceptance, &revenue),
        None => Vec::new(),
    };
    let totals = acceptance.totals;
    FunnelReport {
        from: params.from,
        to: params.to,
        now: params.now,
        group_by: params.group_by,
        mql: totals.mql,
        accepted: totals.accepted,
        rejected: totals.rejected,
        pending: totals.pending,
        mql_acceptance_rate: totals.acceptance_rate(),
        stages: stages.finish(),
        time_in_stage: times.finish(),
        sla: sla.finish(),
        rejection_reasons: acceptance.rejection_reasons(),
        pipeline: revenue.pipeline,
        pipeline_created: revenue.pipeline_created,
        won_revenue: revenue.won,
        cohorts: cohorts.finish(),
        groups,
    }
}

/// What one walk over the facts accumulates, borrowing group keys and notes from the facts.
struct Sections<'a> {
    acceptance: Acceptance<'a>,
    stages: Stages,
    times: TimesInStage,
    sla: Sla,
    cohorts: Cohorts,
    revenue: Revenue<'a>,
}

/// One pass over the people's histories, side by side with their person rows and sales touches.
/// `None` when some input turned out not to be in the stores' order; what was accumulated is
/// then thrown away.
fn walk<'a>(
    people: &'a [PersonFact],
    events: &'a [StageFact],
    sales_touches: &'a [TouchFact],
    opportunities: &'a [OpportunityFact],
    params: &FunnelParams,
) -> Option<Sections<'a>> {
    let period = Period { from: params.from, to: params.to };
    let mut acceptance = Acceptance::default();
    let mut stages = Stages::default();
    let mut times = TimesInStage::default();
    let mut sla = Sla::new(params.sla_hours, params.now);
    let mut cohorts = Cohorts::default();
    let mut people_cursor = Cursor::new(people, |p| p.person_id, |a, b| a.person_id <= b.person_id);
    let mut touch_cursor =
        Cursor::new(sales_touches, |t| t.person_id, |a, b| order::touch_key(a) <= order::touch_key(b));
    // Reused for every person so the walk allocates nothing per person.
    let mut handoffs = Vec::new();
    let mut previous_person = None;
    for history in events.chunk_by(|a, b| a.person_id == b.person_id) {
        let person_id = history[0].person_id;
        let in_order = history.windows(2).all(|w| (w[0].at, w[0].sequence) <= (w[1].at, w[1].sequence));
        if !in_order || previous_person >= Some(person_id) {
            return None;
        }
        previous_person = Some(person_id);
        let person = people_cursor.rows_of(person_id).first();
        let touches = touch_cursor.rows_of(person_id);
        let group = params.group_by.map(|g| g.key(person));
        find_handoffs(history, &mut handoffs);
        acceptance.observe(history, &handoffs, &period, group);
        stages.observe(history, &period);
        times.observe(history, &period);
        sla.observe(history, touches, &period);
        cohorts.observe(history, &handoffs, &period);
    }
    if !people_cursor.finish() || !touch_cursor.finish() {
        return None;
    }
    let revenue = revenue(opportunities, people, &period, params.group_by);
    Some(Sections { acceptance, stages, times, sla, cohorts, revenue })
}

fn group_rows(acceptance: &Acceptance<'_>, revenue: &Revenue<'_>) -> Vec<GroupRow> {
    let keys: BTreeSet<Option<&str>> = acceptance
        .by_group
        .keys()
        .copied()
        .chain(revenue.pipeline_by_group.keys())
        .chain(revenue.won_by_group.keys())
        .collect();
    keys.into_iter()
        .map(|key| {
            let counts = acceptance.by_group.get(&key).copied().unwrap_or(AcceptanceCounts::default());
            let amounts = |sums: &crate::money::KeyedSums<'_>| {
                sums.get(key).map(|(_, amount)| amount.clone()).unwrap_or_default()
            };
            GroupRow {
                key: key.map(str::to_owned),
                mql: counts.mql,
                accepted: counts.accepted,
                rejected: counts.rejected,
                pending: counts.pending,
                mql_acceptance_rate: counts.acceptance_rate(),
                pipeline: amounts(&revenue.pipeline_by_group),
                won: amounts(&revenue.won_by_group),
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "funnel_tests.rs"]
mod tests;
