//! Conversation signals for scoring: per person, account and opportunity, named numeric
//! features computed from the stored call analyses. Pure over [`CallAnalysisFacts`]
//! ([`compute_signals`]); [`conversation_signals`] reads the facts from the store.
//!
//! Each entity's features come from its analysed calls started before `as_of` (a call counts
//! for its person, its account and its opportunity). Features (NaN when unknown):
//!
//! | feature | definition |
//! |---|---|
//! | `calls` | number of analysed calls |
//! | `competitor_mentioned` | 1 when any call has a hit of the `Competitors` tracker (either side), else 0 |
//! | `budget_discussed` | 1 when any call has a hit of the `Budget` tracker (either side), else 0 |
//! | `next_step_agreed` | 1 when the most recent call has a hit of the `Next steps` tracker, else 0 |
//! | `customer_talk_share` | customer-side speaking time ÷ all speaking time, over all calls; NaN with no speech |
//! | `customer_questions` | questions asked by the customer side per call (mean) |
//! | `pains_raised` | customer-side hits of the `Pain points` tracker, all calls |
//! | `sentiment_trend` | how the customer side's tone moved: with two or more calls, the customer side's mean sentiment (−1…+1) in the latest call minus in the earliest; with one, that call's own change (last third minus first third, 0 when the customer spoke in one third only); **absent** when no call has customer speech with a sentiment (analyses before version 2) |
//! | `days_since_last_call` | days from the most recent call's start to `as_of` |
//!
//! Tracker-based features use the default trackers' names ([`COMPETITOR_TRACKER`], …); a
//! workspace that renames them gets 0 for those features.

use std::collections::BTreeMap;

use rapport_domain::{AccountId, OpportunityId, PersonId, SpeakerRole, Timestamp};
use rapport_store::analysis::{AnalysisFilter, CallAnalysisFacts};
use rapport_store::Store;
use serde::Serialize;

use crate::AppError;

pub const COMPETITOR_TRACKER: &str = "Competitors";
pub const BUDGET_TRACKER: &str = "Budget";
pub const NEXT_STEPS_TRACKER: &str = "Next steps";
pub const PAIN_TRACKER: &str = "Pain points";

/// Every feature's name, in a stable order.
pub const FEATURES: [&str; 9] = [
    "calls",
    "competitor_mentioned",
    "budget_discussed",
    "next_step_agreed",
    "customer_talk_share",
    "customer_questions",
    "pains_raised",
    "sentiment_trend",
    "days_since_last_call",
];

/// Named features of one entity (every name of [`FEATURES`] present, but `sentiment_trend`
/// only when some call has the customer side's sentiment).
pub type Features = BTreeMap<&'static str, f64>;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SignalTable {
    pub people: BTreeMap<PersonId, Features>,
    pub accounts: BTreeMap<AccountId, Features>,
    pub opportunities: BTreeMap<OpportunityId, Features>,
}

/// Sums over one entity's calls, turned into features at the end.
#[derive(Debug, Default)]
struct Tally {
    calls: u64,
    competitor: bool,
    budget: bool,
    last_call: Option<Timestamp>,
    last_call_next_step: bool,
    customer_speaking_s: f64,
    rep_speaking_s: f64,
    customer_questions: f64,
    pains: u64,
    /// Per call with customer sentiment: start, the customer side's mean, its in-call change.
    sentiments: Vec<(Timestamp, f64, Option<f64>)>,
}

fn number(document: &serde_json::Value, path: &[&str]) -> f64 {
    optional_number(document, path).unwrap_or(0.0)
}

fn optional_number(document: &serde_json::Value, path: &[&str]) -> Option<f64> {
    path.iter().try_fold(document, |value, key| value.get(key)).and_then(serde_json::Value::as_f64)
}

impl Tally {
    fn add(&mut self, call: &CallAnalysisFacts, document: &serde_json::Value) {
        self.calls += 1;
        let has = |tracker: &str| call.hits.iter().any(|h| h.tracker == tracker);
        self.competitor |= has(COMPETITOR_TRACKER);
        self.budget |= has(BUDGET_TRACKER);
        // Facts come oldest first; ties keep the later call in the list.
        if self.last_call.is_none_or(|last| call.started_at >= last) {
            self.last_call = Some(call.started_at);
            self.last_call_next_step = has(NEXT_STEPS_TRACKER);
        }
        self.customer_speaking_s += number(document, &["stats", "customer", "speaking_s"]);
        self.rep_speaking_s += number(document, &["stats", "rep", "speaking_s"]);
        self.customer_questions += number(document, &["stats", "customer", "questions"]);
        self.pains +=
            call.hits.iter().filter(|h| h.tracker == PAIN_TRACKER && h.side != SpeakerRole::Rep).count()
                as u64;
        // It used to be NaN for everyone: the analysis did not store sentiment. Since version 2
        // it does; a call whose customer said nothing (mean `null`) tells nothing about tone.
        if let Some(mean) = optional_number(document, &["sentiment", "customer", "mean"]) {
            let change = optional_number(document, &["sentiment", "customer_trend", "change"]);
            self.sentiments.push((call.started_at, mean, change));
        }
    }

    /// See the module's table; `None` leaves the feature out.
    fn sentiment_trend(&self) -> Option<f64> {
        let mut calls = self.sentiments.clone();
        calls.sort_by_key(|(at, _, _)| *at);
        match calls.as_slice() {
            [] => None,
            [(_, _, change)] => Some(change.unwrap_or(0.0)),
            [(_, first, _), .., (_, last, _)] => Some(last - first),
        }
    }

    fn features(&self, as_of: Timestamp) -> Features {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let speaking = self.customer_speaking_s + self.rep_speaking_s;
        let days =
            self.last_call.map_or(f64::NAN, |last| (as_of - last).num_milliseconds() as f64 / 86_400_000.0);
        let mut features = Features::from([
            ("calls", self.calls as f64),
            ("competitor_mentioned", flag(self.competitor)),
            ("budget_discussed", flag(self.budget)),
            ("next_step_agreed", flag(self.last_call_next_step)),
            (
                "customer_talk_share",
                if speaking > 0.0 { self.customer_speaking_s / speaking } else { f64::NAN },
            ),
            ("customer_questions", self.customer_questions / self.calls.max(1) as f64),
            ("pains_raised", self.pains as f64),
            ("days_since_last_call", days),
        ]);
        if let Some(trend) = self.sentiment_trend() {
            features.insert("sentiment_trend", trend);
        }
        features
    }
}

/// The call's analysis document; one that cannot be read (written by another version)
/// counts as empty, so its figures read as zero rather than failing the whole table.
fn document(call: &CallAnalysisFacts) -> serde_json::Value {
    serde_json::from_str(&call.document).unwrap_or(serde_json::Value::Null)
}

/// Features per person, account and opportunity from `facts` (calls at or after `as_of` are
/// left out, so a model trained on history never sees the future).
pub fn compute_signals(facts: &[CallAnalysisFacts], as_of: Timestamp) -> SignalTable {
    let mut people: BTreeMap<PersonId, Tally> = BTreeMap::new();
    let mut accounts: BTreeMap<AccountId, Tally> = BTreeMap::new();
    let mut opportunities: BTreeMap<OpportunityId, Tally> = BTreeMap::new();
    for call in facts.iter().filter(|c| c.started_at < as_of) {
        let document = document(call);
        if let Some(id) = call.person {
            people.entry(id).or_default().add(call, &document);
        }
        if let Some(id) = call.account {
            accounts.entry(id).or_default().add(call, &document);
        }
        if let Some(id) = call.opportunity {
            opportunities.entry(id).or_default().add(call, &document);
        }
    }
    SignalTable {
        people: people.into_iter().map(|(id, t)| (id, t.features(as_of))).collect(),
        accounts: accounts.into_iter().map(|(id, t)| (id, t.features(as_of))).collect(),
        opportunities: opportunities.into_iter().map(|(id, t)| (id, t.features(as_of))).collect(),
    }
}

/// Each person's signals from their own calls before *their* cut-off: a training row (cut at
/// the handoff) sees only the calls before it, so a model never learns from what came after;
/// a score now sees every call. People without calls before their cut-off are left out.
pub fn person_signals_at(
    facts: &[CallAnalysisFacts],
    cutoffs: &BTreeMap<PersonId, Timestamp>,
) -> BTreeMap<PersonId, Features> {
    let mut tallies: BTreeMap<PersonId, Tally> = BTreeMap::new();
    for call in facts {
        let Some(person) = call.person else { continue };
        let Some(&cutoff) = cutoffs.get(&person) else { continue };
        if call.started_at >= cutoff {
            continue;
        }
        let document = document(call);
        tallies.entry(person).or_default().add(call, &document);
    }
    tallies.into_iter().map(|(id, tally)| (id, tally.features(cutoffs[&id]))).collect()
}

/// [`compute_signals`] over the store's analysed calls before `as_of`.
pub fn conversation_signals(store: &dyn Store, as_of: Timestamp) -> Result<SignalTable, AppError> {
    let facts = store.analysis_facts(&AnalysisFilter { from: None, to: Some(as_of) })?;
    Ok(compute_signals(&facts, as_of))
}

#[cfg(test)]
#[path = "signals_tests.rs"]
mod tests;
