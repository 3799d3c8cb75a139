//! Voice of the customer: what buyers say on calls, for marketing. Per tracker, the share of
//! calls in which the customer side mentions it — overall, by segment (industry, size band,
//! lead source, campaign), by outcome (won vs lost deals, with lift and significance) and by
//! month — with the top quotes, each linking to its call and timestamp.
//!
//! Definitions:
//! - A call *mentions* a tracker when a customer-side utterance (unknown speakers count as
//!   customers) has a hit of it. Rep-side hits are the rep talking, not the voice of the
//!   customer.
//! - A call's outcome is its opportunity's; calls without one count only in the totals.
//! - **Lift** = share of won calls mentioning ÷ share of lost calls mentioning (absent when no
//!   lost call mentions it). Above 1: said more in deals that were won.
//! - **Significance**: the two-sided p-value of a two-proportion z-test with pooled variance
//!   (won calls vs lost calls); absent when either group is empty or nobody/everybody
//!   mentions it. With few calls (fewer than ~5 mentioning in a group) treat it as rough.
//! - Quotes: up to [`QUOTES`] customer-side utterances per tracker, newest calls first.
//! - Smart trackers (hits with a score) and discovered topics are items like keyword
//!   trackers, told apart by `kind`. A call mentions a topic when it has the topic (see
//!   `crate::topics`: at least two utterances on it) and its quote, the utterance closest to
//!   the topic, is the customer's; topics are listed by their current (possibly given) name.
//!
//! [`compute_voc`] is pure over [`CallAnalysisFacts`]; [`voc_report`] reads the facts and
//! fills in the quotes' text from the stored (redacted) transcripts.

use std::collections::{BTreeMap, BTreeSet};

use rapport_domain::{size_band, CallId, OpportunityOutcome, SpeakerRole, Timestamp};
use rapport_store::analysis::{AnalysisFilter, CallAnalysisFacts, TrackerHitRow, TrackerKind};
use rapport_store::Store;
use serde::Serialize;

use crate::AppError;

/// Quotes per tracker.
pub const QUOTES: usize = 3;

/// What calls are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Industry,
    SizeBand,
    Source,
    Campaign,
}

impl Segment {
    pub fn parse(text: &str) -> Result<Segment, AppError> {
        Ok(match text {
            "industry" => Segment::Industry,
            "size_band" => Segment::SizeBand,
            "source" => Segment::Source,
            "campaign" => Segment::Campaign,
            other => {
                return Err(AppError::invalid(
                    "by",
                    format!("`{other}` is not one of industry, size_band, source, campaign"),
                ))
            }
        })
    }

    fn of(self, call: &CallAnalysisFacts) -> String {
        let value = match self {
            Segment::Industry => call.industry.clone(),
            Segment::SizeBand => Some(size_band(call.employees).to_owned()),
            Segment::Source => call.source.clone(),
            Segment::Campaign => call.campaign.clone(),
        };
        value.filter(|v| !v.trim().is_empty()).unwrap_or_else(|| "unknown".into())
    }
}

/// How many calls of a group there are and how many mention the tracker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Share {
    pub calls: u64,
    pub mentioning: u64,
    /// `mentioning / calls`; absent for an empty group.
    pub share: Option<f64>,
}

impl Share {
    fn add(&mut self, mentions: bool) {
        self.calls += 1;
        self.mentioning += u64::from(mentions);
        self.share = Some(self.mentioning as f64 / self.calls as f64);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupShare {
    pub group: String,
    #[serde(flatten)]
    pub share: Share,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub call: CallId,
    pub call_title: String,
    pub call_started_at: Timestamp,
    pub utterance: u32,
    pub time_ms: i64,
    pub speaker: Option<String>,
    /// The utterance as stored (redacted when the workspace redacts); plain text.
    pub text: String,
}

/// What an item of the report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VocKind {
    Keyword,
    Smart,
    /// A topic discovered across the calls.
    Topic,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VocItem {
    /// The tracker's name, or the topic's.
    pub tracker: String,
    pub kind: VocKind,
    /// The topic's id (topics only).
    pub topic_id: Option<String>,
    pub overall: Share,
    pub won: Share,
    pub lost: Share,
    pub lift: Option<f64>,
    /// Two-sided p-value of the two-proportion z-test, won vs lost.
    pub p_value: Option<f64>,
    /// By the report's segment; empty without one.
    pub segments: Vec<GroupShare>,
    /// By calendar month of the call (`2024-03`), oldest first.
    pub months: Vec<GroupShare>,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VocReport {
    pub calls: u64,
    pub won_calls: u64,
    pub lost_calls: u64,
    pub by: Option<Segment>,
    pub significance_test: &'static str,
    /// Most-mentioned first.
    pub trackers: Vec<VocItem>,
}

/// The standard normal's upper tail, `P(Z > z)`, via the complementary error function
/// (W. J. Cody's rational approximation as in Numerical Recipes' `erfcc`, relative error
/// below 1.2e-7).
fn normal_upper_tail(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let erfc = if x >= 0.0 { erfc } else { 2.0 - erfc };
    erfc / 2.0
}

/// Two-sided p-value of the pooled two-proportion z-test.
pub fn two_proportion_p_value(a: Share, b: Share) -> Option<f64> {
    if a.calls == 0 || b.calls == 0 {
        return None;
    }
    let (n1, n2) = (a.calls as f64, b.calls as f64);
    let pooled = (a.mentioning + b.mentioning) as f64 / (n1 + n2);
    if pooled <= 0.0 || pooled >= 1.0 {
        return None;
    }
    let p1 = a.mentioning as f64 / n1;
    let p2 = b.mentioning as f64 / n2;
    let z = (p1 - p2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    Some((2.0 * normal_upper_tail(z.abs())).min(1.0))
}

fn month(at: Timestamp) -> String {
    at.format("%Y-%m").to_string()
}

/// The report over `facts` (each call once); `kinds` tells smart trackers from keyword ones
/// (a name it lacks is smart when its hits carry a score, else keyword). Quotes come without
/// text (see [`voc_report`]).
pub fn compute_voc(
    facts: &[CallAnalysisFacts],
    by: Option<Segment>,
    kinds: &BTreeMap<String, TrackerKind>,
) -> VocReport {
    let mut names: BTreeSet<&str> = kinds.keys().map(String::as_str).collect();
    for call in facts {
        names.extend(call.hits.iter().map(|h| h.tracker.as_str()));
    }
    let mut report = VocReport {
        calls: facts.len() as u64,
        won_calls: facts.iter().filter(|c| c.outcome == Some(OpportunityOutcome::Won)).count() as u64,
        lost_calls: facts.iter().filter(|c| c.outcome == Some(OpportunityOutcome::Lost)).count() as u64,
        by,
        significance_test: "two-proportion z-test (pooled), two-sided p-value, won vs lost calls",
        trackers: Vec::new(),
    };
    for name in names {
        let mut item = VocItem {
            tracker: name.to_owned(),
            kind: match kinds.get(name) {
                Some(TrackerKind::Smart) => VocKind::Smart,
                Some(TrackerKind::Keyword) => VocKind::Keyword,
                None if facts
                    .iter()
                    .flat_map(|c| &c.hits)
                    .any(|h| h.tracker == name && h.score.is_some()) =>
                {
                    VocKind::Smart
                }
                None => VocKind::Keyword,
            },
            topic_id: None,
            overall: Share::default(),
            won: Share::default(),
            lost: Share::default(),
            lift: None,
            p_value: None,
            segments: Vec::new(),
            months: Vec::new(),
            quotes: Vec::new(),
        };
        let mut segments: BTreeMap<String, Share> = BTreeMap::new();
        let mut months: BTreeMap<String, Share> = BTreeMap::new();
        let mut quotes: Vec<(&CallAnalysisFacts, u32, i64, Option<String>)> = Vec::new();
        for call in facts {
            let customer_hits: Vec<_> =
                call.hits.iter().filter(|h| h.tracker == name && h.side != SpeakerRole::Rep).collect();
            let mentions = !customer_hits.is_empty();
            item.overall.add(mentions);
            match call.outcome {
                Some(OpportunityOutcome::Won) => item.won.add(mentions),
                Some(OpportunityOutcome::Lost) => item.lost.add(mentions),
                _ => {}
            }
            if let Some(segment) = by {
                segments.entry(segment.of(call)).or_default().add(mentions);
            }
            months.entry(month(call.started_at)).or_default().add(mentions);
            if let Some(hit) = customer_hits.first() {
                quotes.push((call, hit.utterance, hit.time_ms, hit.speaker.clone()));
            }
        }
        item.lift = match (item.won.share, item.lost.share) {
            (Some(won), Some(lost)) if lost > 0.0 => Some(won / lost),
            _ => None,
        };
        item.p_value = two_proportion_p_value(item.won, item.lost);
        item.segments = segments.into_iter().map(|(group, share)| GroupShare { group, share }).collect();
        item.months = months.into_iter().map(|(group, share)| GroupShare { group, share }).collect();
        quotes.sort_by(|a, b| b.0.started_at.cmp(&a.0.started_at).then(b.0.call.cmp(&a.0.call)));
        item.quotes = quotes
            .into_iter()
            .take(QUOTES)
            .map(|(call, utterance, time_ms, speaker)| Quote {
                call: call.call,
                call_title: call.title.clone(),
                call_started_at: call.started_at,
                utterance,
                time_ms,
                speaker,
                text: String::new(),
            })
            .collect();
        report.trackers.push(item);
    }
    report
        .trackers
        .sort_by(|a, b| b.overall.mentioning.cmp(&a.overall.mentioning).then(a.tracker.cmp(&b.tracker)));
    report
}

/// The report over the analysed calls in `filter`'s period, with the quotes' text.
pub fn voc_report(
    store: &dyn Store,
    filter: &AnalysisFilter,
    by: Option<Segment>,
) -> Result<VocReport, AppError> {
    let mut facts = store.analysis_facts(filter)?;
    let kinds: BTreeMap<String, TrackerKind> =
        store.tracker_set()?.trackers.into_iter().map(|t| (t.tracker.name, t.tracker.kind)).collect();
    let mut report = compute_voc(&facts, by, &kinds);
    report.trackers.extend(topic_items(store, &mut facts, by)?);
    let mut transcripts: BTreeMap<CallId, Vec<rapport_domain::UtteranceRow>> = BTreeMap::new();
    for quote in report.trackers.iter_mut().flat_map(|item| item.quotes.iter_mut()) {
        let rows = match transcripts.entry(quote.call) {
            std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(store.call_utterances(quote.call)?)
            }
        };
        let row = rows.get(quote.utterance as usize);
        quote.text = row.map(|row| row.text.clone()).unwrap_or_default();
        if quote.speaker.is_none() {
            quote.speaker = row.and_then(|row| row.speaker.clone());
        }
    }
    Ok(report)
}

/// The discovered topics as report items: the same computation over each call's topic rows
/// (the facts' hits are replaced by them), keyed by topic id and shown by name.
fn topic_items(
    store: &dyn Store,
    facts: &mut [CallAnalysisFacts],
    by: Option<Segment>,
) -> Result<Vec<VocItem>, AppError> {
    let topics = store.topics()?;
    if topics.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_call: BTreeMap<CallId, Vec<TrackerHitRow>> = BTreeMap::new();
    for hit in store.topic_hits()? {
        by_call.entry(hit.call).or_default().push(TrackerHitRow {
            tracker: hit.row.topic,
            utterance: hit.row.utterance,
            time_ms: hit.row.time_ms,
            side: hit.row.side,
            speaker: None,
            score: Some(hit.row.score),
        });
    }
    for call in facts.iter_mut() {
        call.hits = by_call.remove(&call.call).unwrap_or_default();
        call.document.clear();
    }
    let ids: BTreeMap<String, TrackerKind> =
        topics.iter().map(|topic| (topic.id.clone(), TrackerKind::Smart)).collect();
    let mut items = compute_voc(facts, by, &ids).trackers;
    for item in &mut items {
        let name = topics.iter().find(|topic| topic.id == item.tracker).map(|topic| topic.name.clone());
        item.topic_id = Some(std::mem::replace(&mut item.tracker, name.unwrap_or_default()));
        item.kind = VocKind::Topic;
    }
    // Rows of a topic removed meanwhile have no name; they are not shown.
    items.retain(|item| !item.tracker.is_empty());
    Ok(items)
}

#[cfg(test)]
#[path = "voc_tests.rs"]
mod tests;
