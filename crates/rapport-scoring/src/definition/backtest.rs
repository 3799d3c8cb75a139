//! Backtesting a definition on past history: when each person would have crossed the MQL
//! threshold, and what then actually happened to those people, per month.
//!
//! A person's score only rises at a touch (between touches it decays), so the first moment the
//! total reaches the threshold is the person's creation (fit alone suffices) or one of their
//! touches. Fit uses the person's attributes as they are now: the store keeps no attribute
//! history. Outcomes are what the lifecycle recorded, whenever it happened: *accepted* when the
//! person ever reached `sal` or beyond, *opportunity* when they reached `opportunity`,
//! `customer` or `lost`, *won* when they became a `customer`. So the rates answer "of the
//! people this definition would have handed over, how many did sales accept, turn into deals
//! and win" — the same question for the draft and the active version.

use std::collections::BTreeMap;

use rapport_domain::{Stage, Timestamp};
use serde::{Deserialize, Serialize};

use super::document::Definition;
use super::evaluate::{capped, decay, first_matching, fit_matches, reaches, PersonInput, TouchInput};

/// One person's past as the backtest sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPerson {
    pub input: PersonInput,
    pub created_at: Timestamp,
    /// Ordered by time.
    pub touches: Vec<TouchInput>,
    /// Every stage the person's history reached, in any order.
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcomes {
    pub accepted: bool,
    pub opportunity: bool,
    pub won: bool,
}

impl Outcomes {
    pub fn of(stages: &[Stage]) -> Self {
        let any = |wanted: &[Stage]| stages.iter().any(|s| wanted.contains(s));
        Self {
            accepted: any(&[Stage::Sal, Stage::Sql, Stage::Opportunity, Stage::Customer, Stage::Lost]),
            opportunity: any(&[Stage::Opportunity, Stage::Customer, Stage::Lost]),
            won: any(&[Stage::Customer]),
        }
    }
}

/// MQLs a definition would have produced in one month (or in total), with their outcomes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `YYYY-MM` (UTC); `total` for the sum.
    pub month: String,
    pub mqls: u64,
    pub accepted: u64,
    pub opportunities: u64,
    pub won: u64,
    pub acceptance_rate: Option<f64>,
    pub opportunity_rate: Option<f64>,
    pub win_rate: Option<f64>,
}

impl MonthRow {
    fn add(&mut self, outcomes: Outcomes) {
        self.mqls += 1;
        self.accepted += u64::from(outcomes.accepted);
        self.opportunities += u64::from(outcomes.opportunity);
        self.won += u64::from(outcomes.won);
    }

    fn finish(&mut self) {
        let rate = |n: u64| (self.mqls > 0).then(|| n as f64 / self.mqls as f64);
        self.acceptance_rate = rate(self.accepted);
        self.opportunity_rate = rate(self.opportunities);
        self.win_rate = rate(self.won);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BacktestReport {
    pub months: Vec<MonthRow>,
    pub total: MonthRow,
}

/// A draft next to the active version, month by month over the same history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub draft: BacktestReport,
    pub active: Option<BacktestReport>,
}

/// When `person` would first have reached the threshold, up to `until`; `None` if never.
/// One pass over the touches: each rule's decayed sum is carried forward from touch to touch.
pub fn crossing_time(definition: &Definition, person: &HistoryPerson, until: Timestamp) -> Option<Timestamp> {
    let fit: f64 = definition
        .fit
        .iter()
        .chain(&definition.negative)
        .filter(|rule| fit_matches(rule, &person.input))
        .map(|rule| rule.points)
        .sum();
    if reaches(fit, definition.mql_threshold) {
        return (person.created_at <= until).then_some(person.created_at);
    }
    let mut sums = vec![0.0_f64; definition.engagement.len()];
    let mut last: Option<Timestamp> = None;
    for touch in person.touches.iter().take_while(|t| t.at <= until) {
        let Some(index) = first_matching(&definition.engagement, touch) else { continue };
        if let Some(previous) = last {
            let days = (touch.at - previous).num_milliseconds() as f64 / 86_400_000.0;
            for (sum, rule) in sums.iter_mut().zip(&definition.engagement) {
                *sum *= decay(days, rule.half_life_days);
            }
        }
        last = Some(touch.at);
        sums[index] += definition.engagement[index].points;
        let engagement: f64 =
            sums.iter().zip(&definition.engagement).map(|(sum, rule)| capped(rule, *sum)).sum();
        if reaches(fit + engagement, definition.mql_threshold) {
            return Some(touch.at.max(person.created_at));
        }
    }
    None
}

/// MQLs per month that `definition` would have produced over `people`, up to `until`.
pub fn backtest(definition: &Definition, people: &[HistoryPerson], until: Timestamp) -> BacktestReport {
    let mut months: BTreeMap<String, MonthRow> = BTreeMap::new();
    let mut total = MonthRow { month: "total".into(), ..MonthRow::default() };
    for person in people {
        let Some(at) = crossing_time(definition, person, until) else { continue };
        let month = at.format("%Y-%m").to_string();
        let outcomes = Outcomes::of(&person.stages);
        months
            .entry(month.clone())
            .or_insert_with(|| MonthRow { month, ..MonthRow::default() })
            .add(outcomes);
        total.add(outcomes);
    }
    let mut months: Vec<MonthRow> = months.into_values().collect();
    months.iter_mut().for_each(MonthRow::finish);
    total.finish();
    BacktestReport { months, total }
}

pub fn compare(
    draft: &Definition,
    active: Option<&Definition>,
    people: &[HistoryPerson],
    until: Timestamp,
) -> Comparison {
    Comparison { draft: backtest(draft, people, until), active: active.map(|a| backtest(a, people, until)) }
}
