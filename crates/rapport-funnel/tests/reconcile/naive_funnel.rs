//! The funnel report recomputed the slow, obvious way, straight from the definitions in the
//! crate documentation: no single pass, no cursors, no per-person scratch, just filters over
//! all the facts and comparisons of (at, sequence) keys.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use rapport_domain::{
    size_band, FunnelFacts, OpportunityFact, OpportunityOutcome, PersonId, Stage, StageFact, Timestamp,
};
use rapport_funnel::{
    Amounts, Cohort, FunnelParams, FunnelReport, GroupBy, GroupRow, KeyedAmounts, RejectionReason,
    RevenueBreakdown, SlaReport, StageCount, TimeInStage,
};

fn key(event: &StageFact) -> (Timestamp, i64) {
    (event.at, event.sequence)
}

fn funnel_index(stage: Stage) -> Option<usize> {
    Stage::FUNNEL.iter().position(|s| *s == stage)
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    if denominator == 0 {
        None
    } else {
        Some(numerator as f64 / denominator as f64)
    }
}

struct Naive<'a> {
    facts: &'a FunnelFacts,
    params: &'a FunnelParams,
}

/// A handoff and the event that decided it, if any.
struct NaiveHandoff<'a> {
    event: &'a StageFact,
    decision: Option<&'a StageFact>,
}

impl<'a> Naive<'a> {
    fn in_period(&self, at: Timestamp) -> bool {
        at >= self.params.from && at < self.params.to
    }

    fn persons(&self) -> BTreeSet<PersonId> {
        self.facts.events.iter().map(|e| e.person_id).collect()
    }

    fn events_of(&self, person: PersonId) -> Vec<&'a StageFact> {
        let mut list: Vec<&StageFact> = self.facts.events.iter().filter(|e| e.person_id == person).collect();
        list.sort_by_key(|e| key(e));
        list
    }

    fn previous(list: &[&'a StageFact], event: &StageFact) -> Option<&'a StageFact> {
        list.iter().copied().filter(|x| key(x) < key(event)).max_by_key(|x| key(x))
    }

    fn is_handoff(list: &[&'a StageFact], event: &StageFact) -> bool {
        event.to == Stage::Mql && Self::previous(list, event).is_none_or(|p| p.to != Stage::Mql)
    }

    /// Every handoff of everybody, in no particular order.
    fn handoffs(&self) -> Vec<NaiveHandoff<'a>> {
        let mut all = Vec::new();
        for person in self.persons() {
            let list = self.events_of(person);
            for &event in list.iter().filter(|e| Self::is_handoff(&list, e)) {
                let next = list
                    .iter()
                    .filter(|x| key(x) > key(event) && Self::is_handoff(&list, x))
                    .min_by_key(|x| key(x));
                let decision = list
                    .iter()
                    .copied()
                    .filter(|x| key(x) > key(event) && next.is_none_or(|n| key(x) < key(n)))
                    .filter(|x| {
                        matches!(
                            x.to,
                            Stage::Sal | Stage::Sql | Stage::Opportunity | Stage::Customer | Stage::Rejected
                        )
                    })
                    .min_by_key(|x| key(x));
                all.push(NaiveHandoff { event, decision });
            }
        }
        all
    }

    fn group_key(&self, person: Option<PersonId>, by: GroupBy) -> Option<String> {
        let fact = self.facts.people.iter().find(|p| Some(p.person_id) == person)?;
        match by {
            GroupBy::Source => fact.source.clone(),
            GroupBy::Campaign => fact.campaign.clone(),
            GroupBy::Owner => fact.owner.clone(),
            GroupBy::Industry => fact.industry.clone(),
            GroupBy::SizeBand => Some(size_band(fact.employees).to_owned()),
        }
    }

    fn stages(&self) -> Vec<StageCount> {
        let mut rows = Vec::new();
        for (position, &stage) in Stage::FUNNEL.iter().enumerate() {
            let (mut reached, mut converted) = (0, 0);
            for person in self.persons() {
                let list = self.events_of(person);
                let first =
                    list.iter().filter(|e| e.to == stage && self.in_period(e.at)).min_by_key(|e| key(e));
                if let Some(first) = first {
                    reached += 1;
                    if list
                        .iter()
                        .any(|x| key(x) > key(first) && funnel_index(x.to).is_some_and(|p| p > position))
                    {
                        converted += 1;
                    }
                }
            }
            let last = position == Stage::FUNNEL.len() - 1;
            rows.push(StageCount {
                stage,
                reached,
                next_stage: Stage::FUNNEL.get(position + 1).copied(),
                converted: if last { None } else { Some(converted) },
                conversion_rate: if last { None } else { ratio(converted, reached) },
            });
        }
        rows
    }

    fn time_in_stage(&self) -> Vec<TimeInStage> {
        let nearest_rank = |sorted: &[i64], percent: usize| -> Option<f64> {
            let n = sorted.len();
            let value =
                sorted.iter().find(|&&v| sorted.iter().filter(|&&w| w <= v).count() * 100 >= percent * n)?;
            Some(*value as f64 / 3_600_000.0)
        };
        let mut rows = Vec::new();
        for stage in Stage::ALL {
            let (mut durations, mut open) = (Vec::new(), 0);
            for person in self.persons() {
                let list = self.events_of(person);
                for &event in list.iter().filter(|e| e.to == stage && self.in_period(e.at)) {
                    if Self::previous(&list, event).is_some_and(|p| p.to == stage) {
                        continue;
                    }
                    let exit =
                        list.iter().filter(|x| key(x) > key(event) && x.to != stage).min_by_key(|x| key(x));
                    match exit {
                        Some(exit) => durations.push((exit.at - event.at).num_milliseconds()),
                        None => open += 1,
                    }
                }
            }
            durations.sort();
            rows.push(TimeInStage {
                stage,
                stays: durations.len() as u64,
                open,
                median_hours: nearest_rank(&durations, 50),
                p90_hours: nearest_rank(&durations, 90),
            });
        }
        rows
    }

    fn sla(&self) -> SlaReport {
        let limit = i64::from(self.params.sla_hours) * 3_600_000;
        let (mut handoffs, mut met, mut breached, mut open) = (0, 0, 0, 0);
        for event in &self.facts.events {
            if event.to != Stage::Mql || event.owner.is_none() || !self.in_period(event.at) {
                continue;
            }
            handoffs += 1;
            let list = self.events_of(event.person_id);
            let by_event = list
                .iter()
                .filter(|x| {
                    key(x) > key(event) && matches!(x.to, Stage::Sal | Stage::Rejected | Stage::Recycled)
                })
                .map(|x| x.at)
                .min();
            let by_touch = self
                .facts
                .sales_touches
                .iter()
                .filter(|t| t.person_id == event.person_id && t.at >= event.at)
                .map(|t| t.at)
                .min();
            let response = [by_event, by_touch].into_iter().flatten().min();
            match response {
                Some(at) if (at - event.at).num_milliseconds() <= limit => met += 1,
                Some(_) => breached += 1,
                None if (self.params.now - event.at).num_milliseconds() > limit => breached += 1,
                None => open += 1,
            }
        }
        SlaReport {
            sla_hours: self.params.sla_hours,
            handoffs,
            met,
            breached,
            open,
            breach_rate: ratio(breached, met + breached),
        }
    }

    fn rejection_reasons(&self, handoffs: &[NaiveHandoff<'a>]) -> Vec<RejectionReason> {
        let rejections: Vec<&StageFact> = handoffs
            .iter()
            .filter(|h| self.in_period(h.event.at))
            .filter_map(|h| h.decision)
            .filter(|d| d.to == Stage::Rejected)
            .collect();
        let codes: BTreeSet<Option<String>> = rejections.iter().map(|r| r.reason.clone()).collect();
        let mut rows = Vec::new();
        for code in codes {
            let mine: Vec<&&StageFact> = rejections.iter().filter(|r| r.reason == code).collect();
            let mut notes: Vec<(Timestamp, PersonId, i64, String)> = mine
                .iter()
                .filter_map(|r| {
                    r.note
                        .clone()
                        .filter(|n| !n.trim().is_empty())
                        .map(|n| (r.at, r.person_id, r.sequence, n))
                })
                .collect();
            notes.sort();
            notes.reverse();
            rows.push(RejectionReason {
                code,
                count: mine.len() as u64,
                share: mine.len() as f64 / rejections.len() as f64,
                sample_notes: notes.into_iter().take(3).map(|n| n.3).collect(),
            });
        }
        rows.sort_by_key(|r| (Reverse(r.count), r.code.clone()));
        rows
    }

    fn primary(&self, deal: &OpportunityFact) -> Option<&'a rapport_domain::PersonFact> {
        self.facts.people.iter().find(|p| Some(p.person_id) == deal.primary_contact)
    }

    fn breakdown(&self, deals: &[&OpportunityFact]) -> RevenueBreakdown {
        let mut total = Amounts::default();
        let mut by_source: BTreeMap<Option<String>, (u64, Amounts)> = BTreeMap::new();
        let mut by_campaign: BTreeMap<Option<String>, (u64, Amounts)> = BTreeMap::new();
        for deal in deals {
            *total.0.entry(deal.currency.clone()).or_insert(0) += deal.amount_cents;
            let source = self.primary(deal).and_then(|p| p.source.clone());
            let campaign = self.primary(deal).and_then(|p| p.campaign.clone());
            for (map, key) in [(&mut by_source, source), (&mut by_campaign, campaign)] {
                let slot = map.entry(key).or_default();
                slot.0 += 1;
                *slot.1 .0.entry(deal.currency.clone()).or_insert(0) += deal.amount_cents;
            }
        }
        let rows = |map: BTreeMap<Option<String>, (u64, Amounts)>| {
            map.into_iter().map(|(key, (deals, amount))| KeyedAmounts { key, deals, amount }).collect()
        };
        RevenueBreakdown {
            deals: deals.len() as u64,
            total,
            by_source: rows(by_source),
            by_campaign: rows(by_campaign),
        }
    }

    fn open_deals(&self) -> Vec<&'a OpportunityFact> {
        let open =
            |d: &&OpportunityFact| self.in_period(d.created_at) && d.outcome == OpportunityOutcome::Open;
        self.facts.opportunities.iter().filter(open).collect()
    }

    fn won_deals(&self) -> Vec<&'a OpportunityFact> {
        let won = |d: &&OpportunityFact| {
            d.outcome == OpportunityOutcome::Won && self.in_period(d.close_date.unwrap_or(d.created_at))
        };
        self.facts.opportunities.iter().filter(won).collect()
    }

    fn cohorts(&self, handoffs: &[NaiveHandoff<'a>]) -> Vec<Cohort> {
        let mut months: BTreeMap<String, [u64; 4]> = BTreeMap::new();
        for person in self.persons() {
            let first = handoffs
                .iter()
                .filter(|h| h.event.person_id == person && self.in_period(h.event.at))
                .min_by_key(|h| key(h.event));
            let Some(first) = first else { continue };
            let list = self.events_of(person);
            let reached = |stage: Stage| {
                list.iter().any(|x| key(x) > key(first.event) && funnel_index(x.to) >= funnel_index(stage))
                    as u64
            };
            let row = months.entry(first.event.at.format("%Y-%m").to_string()).or_default();
            row[0] += 1;
            row[1] += reached(Stage::Sal);
            row[2] += reached(Stage::Opportunity);
            row[3] += reached(Stage::Customer);
        }
        months
            .into_iter()
            .map(|(month, [mql, sal, opportunity, customer])| Cohort {
                month,
                mql,
                sal,
                opportunity,
                customer,
            })
            .collect()
    }

    fn groups(&self, handoffs: &[NaiveHandoff<'a>], by: GroupBy) -> Vec<GroupRow> {
        let period_handoffs: Vec<&NaiveHandoff> =
            handoffs.iter().filter(|h| self.in_period(h.event.at)).collect();
        let (open, won) = (self.open_deals(), self.won_deals());
        let mut keys = BTreeSet::new();
        keys.extend(period_handoffs.iter().map(|h| self.group_key(Some(h.event.person_id), by)));
        keys.extend(open.iter().chain(&won).map(|d| self.group_key(d.primary_contact, by)));
        let mut rows = Vec::new();
        for group in keys {
            let mine: Vec<_> = period_handoffs
                .iter()
                .filter(|h| self.group_key(Some(h.event.person_id), by) == group)
                .collect();
            let (mut accepted, mut rejected) = (0, 0);
            for handoff in &mine {
                match handoff.decision.map(|d| d.to) {
                    Some(Stage::Rejected) => rejected += 1,
                    Some(_) => accepted += 1,
                    None => {}
                }
            }
            let sum = |deals: &[&OpportunityFact]| {
                let mut amounts = Amounts::default();
                for deal in deals.iter().filter(|d| self.group_key(d.primary_contact, by) == group) {
                    *amounts.0.entry(deal.currency.clone()).or_insert(0) += deal.amount_cents;
                }
                amounts
            };
            rows.push(GroupRow {
                key: group.clone(),
                mql: mine.len() as u64,
                accepted,
                rejected,
                pending: mine.len() as u64 - accepted - rejected,
                mql_acceptance_rate: ratio(accepted, accepted + rejected),
                pipeline: sum(&open),
                won: sum(&won),
            });
        }
        rows
    }
}

pub fn funnel_report(facts: &FunnelFacts, params: &FunnelParams) -> FunnelReport {
    let naive = Naive { facts, params };
    let handoffs = naive.handoffs();
    let in_period: Vec<&NaiveHandoff> = handoffs.iter().filter(|h| naive.in_period(h.event.at)).collect();
    let accepted =
        in_period.iter().filter(|h| h.decision.is_some_and(|d| d.to != Stage::Rejected)).count() as u64;
    let rejected =
        in_period.iter().filter(|h| h.decision.is_some_and(|d| d.to == Stage::Rejected)).count() as u64;
    let created: Vec<&OpportunityFact> =
        facts.opportunities.iter().filter(|d| naive.in_period(d.created_at)).collect();
    FunnelReport {
        from: params.from,
        to: params.to,
        now: params.now,
        group_by: params.group_by,
        mql: in_period.len() as u64,
        accepted,
        rejected,
        pending: in_period.len() as u64 - accepted - rejected,
        mql_acceptance_rate: ratio(accepted, accepted + rejected),
        stages: naive.stages(),
        time_in_stage: naive.time_in_stage(),
        sla: naive.sla(),
        rejection_reasons: naive.rejection_reasons(&handoffs),
        pipeline: naive.breakdown(&naive.open_deals()),
        pipeline_created: naive.breakdown(&created),
        won_revenue: naive.breakdown(&naive.won_deals()),
        cohorts: naive.cohorts(&handoffs),
        groups: params.group_by.map(|by| naive.groups(&handoffs, by)).unwrap_or_default(),
    }
}
