//! Content usage: which items of the content library sales uses on calls, how that goes with
//! won deals, what marketing's touches with it led to, and which content no one uses.
//!
//! Definitions:
//! - A call *uses* an item when the analysis found a mention of it (title, alias or URL, said
//!   by either side); several mentions in one call count once. Mentions the analysis could not
//!   resolve to a library item are grouped by their text (case-insensitive) and shown as said.
//! - A call's outcome is its opportunity's, as on the voice-of-the-customer report
//!   ([`crate::voc`]); calls without one count only in the totals.
//! - **Lift** = share of won calls using it ÷ share of lost calls using it (absent when no lost
//!   call uses it); **p** is the two-sided p-value of the pooled two-proportion z-test
//!   ([`crate::voc::two_proportion_p_value`]), rough with fewer than ~5 uses in a group.
//! - **Deals touched**: opportunities one of whose contacts had a marketing touch with the
//!   item before the deal was created (the attribution facts' touches), and how many of those
//!   were won. This is what marketing's use of the item led to, beside sales' use on calls.
//! - **No one uses**: library items no call in the period mentions; `touched_deals` tells
//!   whether marketing's touches reached a deal with it at least.
//!
//! [`compute_content_usage`] is pure over the store's compact rows
//! ([`ContentCallFacts`]), so the report never parses an analysis document.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rapport_domain::{
    AttributionFacts, CallId, ContentId, ContentItem, OpportunityOutcome, PersonId, UserId,
};
use rapport_store::analysis::AnalysisFilter;
use rapport_store::content::ContentCallFacts;
use rapport_store::Store;
use serde::Serialize;

use crate::voc::{two_proportion_p_value, Share};
use crate::AppError;

/// What a row of the report is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum ContentKey {
    /// A library item.
    Item(ContentId),
    /// A mention that did not resolve to an item, by its lower-cased text.
    Unresolved(String),
}

impl ContentKey {
    /// The value of the calls list's `content` filter that selects this row's calls.
    pub fn filter_value(&self, title: &str) -> String {
        match self {
            ContentKey::Item(id) => id.0.to_string(),
            ContentKey::Unresolved(_) => title.to_owned(),
        }
    }
}

/// Deals whose contacts had a touch with an item before the deal was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TouchedDeals {
    pub people: u64,
    pub deals: u64,
    pub won: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentUsage {
    pub key: ContentKey,
    /// The item's title, or the mention as first said.
    pub title: String,
    pub url: Option<String>,
    pub content_type: Option<String>,
    /// Calls using it, of all calls in the report.
    pub overall: Share,
    pub won: Share,
    pub lost: Share,
    pub lift: Option<f64>,
    pub p_value: Option<f64>,
    /// The reps of the calls that used it.
    pub reps: Vec<UserId>,
    pub touched: TouchedDeals,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentUsageReport {
    pub calls: u64,
    pub won_calls: u64,
    pub lost_calls: u64,
    pub significance_test: &'static str,
    /// Items and unresolved mentions used on at least one call, most used first.
    pub used: Vec<ContentUsage>,
    /// Library items no call uses, by title.
    pub unused: Vec<ContentUsage>,
}

fn share(calls: u64, mentioning: u64) -> Share {
    Share { calls, mentioning, share: (calls > 0).then(|| mentioning as f64 / calls as f64) }
}

/// Per library title: the people and deals its touches reached before each deal's creation.
fn touched_deals(facts: &AttributionFacts) -> HashMap<&str, TouchedDeals> {
    let mut by_person: HashMap<PersonId, Vec<usize>> = HashMap::new();
    for (index, touch) in facts.touches.iter().enumerate() {
        if touch.content.is_some() {
            by_person.entry(touch.person_id).or_default().push(index);
        }
    }
    let mut people: HashMap<&str, HashSet<PersonId>> = HashMap::new();
    let mut out: HashMap<&str, TouchedDeals> = HashMap::new();
    for deal in &facts.opportunities {
        let mut titles: BTreeSet<&str> = BTreeSet::new();
        for contact in &deal.contacts {
            for &index in by_person.get(contact).map(Vec::as_slice).unwrap_or_default() {
                let touch = &facts.touches[index];
                if let (Some(title), true) = (touch.content.as_deref(), touch.at <= deal.created_at) {
                    titles.insert(title);
                    people.entry(title).or_default().insert(*contact);
                }
            }
        }
        for title in titles {
            let entry = out.entry(title).or_default();
            entry.deals += 1;
            entry.won += u64::from(deal.outcome == OpportunityOutcome::Won);
        }
    }
    for (title, reached) in people {
        out.entry(title).or_default().people = reached.len() as u64;
    }
    out
}

#[derive(Default)]
struct Tally {
    title: String,
    calls: u64,
    won: u64,
    lost: u64,
    reps: BTreeSet<UserId>,
}

/// The report over `calls` (each analysed call once) and the library.
pub fn compute_content_usage(
    calls: &[ContentCallFacts],
    library: &[ContentItem],
    attribution: &AttributionFacts,
) -> ContentUsageReport {
    let won_calls = calls.iter().filter(|c| c.outcome == Some(OpportunityOutcome::Won)).count() as u64;
    let lost_calls = calls.iter().filter(|c| c.outcome == Some(OpportunityOutcome::Lost)).count() as u64;
    let mut tallies: BTreeMap<ContentKey, Tally> = BTreeMap::new();
    for call in calls {
        let mut seen = BTreeSet::new();
        for mention in &call.mentions {
            let key = match mention.content {
                Some(id) => ContentKey::Item(id),
                None => ContentKey::Unresolved(mention.label.trim().to_lowercase()),
            };
            if !seen.insert(key.clone()) {
                continue;
            }
            let tally = tallies.entry(key).or_default();
            if tally.title.is_empty() {
                tally.title = mention.label.trim().to_owned();
            }
            tally.calls += 1;
            tally.won += u64::from(call.outcome == Some(OpportunityOutcome::Won));
            tally.lost += u64::from(call.outcome == Some(OpportunityOutcome::Lost));
            tally.reps.extend(call.rep);
        }
    }
    let touched = touched_deals(attribution);
    let items: HashMap<ContentId, &ContentItem> = library.iter().map(|item| (item.id, item)).collect();
    let row = |key: ContentKey, tally: Tally| {
        let item = match &key {
            ContentKey::Item(id) => items.get(id).copied(),
            ContentKey::Unresolved(_) => None,
        };
        let title = item.map_or(tally.title, |item| item.record.title.clone());
        let (won, lost) = (share(won_calls, tally.won), share(lost_calls, tally.lost));
        ContentUsage {
            overall: share(calls.len() as u64, tally.calls),
            lift: match (won.share, lost.share) {
                (Some(won), Some(lost)) if lost > 0.0 => Some(won / lost),
                _ => None,
            },
            p_value: two_proportion_p_value(won, lost),
            won,
            lost,
            reps: tally.reps.into_iter().collect(),
            touched: item
                .and_then(|item| touched.get(item.record.title.as_str()).copied())
                .unwrap_or_default(),
            url: item.map(|item| item.record.url.clone()),
            content_type: item.and_then(|item| item.record.content_type.clone()),
            key,
            title,
        }
    };
    let mut unused: Vec<ContentUsage> = library
        .iter()
        .filter(|item| !tallies.contains_key(&ContentKey::Item(item.id)))
        .map(|item| row(ContentKey::Item(item.id), Tally::default()))
        .collect();
    unused.sort_by(|a, b| a.title.cmp(&b.title).then(a.key.cmp(&b.key)));
    let mut used: Vec<ContentUsage> = tallies.into_iter().map(|(key, tally)| row(key, tally)).collect();
    used.sort_by(|a, b| {
        b.overall.mentioning.cmp(&a.overall.mentioning).then(a.title.cmp(&b.title)).then(a.key.cmp(&b.key))
    });
    ContentUsageReport {
        calls: calls.len() as u64,
        won_calls,
        lost_calls,
        significance_test: "two-proportion z-test (pooled), two-sided p-value, won vs lost calls",
        used,
        unused,
    }
}

/// The whole library, in id order.
pub fn library(store: &dyn Store) -> Result<Vec<ContentItem>, AppError> {
    let mut items = Vec::new();
    store.export_content(&mut |item| {
        items.push(item);
        Ok(())
    })?;
    Ok(items)
}

/// The report over the analysed calls in `filter`'s period that `visible` lets through.
pub fn content_usage(
    store: &dyn Store,
    filter: &AnalysisFilter,
    attribution: &AttributionFacts,
    visible: impl Fn(Option<UserId>) -> bool,
) -> Result<ContentUsageReport, AppError> {
    let mut calls = store.content_call_facts(filter)?;
    calls.retain(|call| visible(call.rep));
    Ok(compute_content_usage(&calls, &library(store)?, attribution))
}

/// The calls whose analysis mentions `content`: a library item's id, or a title or mention
/// text (case-insensitive; a title selects its item's calls and unresolved mentions of it).
pub fn calls_mentioning(store: &dyn Store, content: &str) -> Result<HashSet<CallId>, AppError> {
    let wanted = content.trim();
    if wanted.is_empty() {
        return Err(AppError::invalid("content", "give a content item's id or title"));
    }
    let text = wanted.to_lowercase();
    let ids: HashSet<ContentId> = match wanted.parse::<i64>() {
        Ok(id) => HashSet::from([ContentId(id)]),
        Err(_) => library(store)?
            .into_iter()
            .filter(|item| item.record.title.trim().to_lowercase() == text)
            .map(|item| item.id)
            .collect(),
    };
    Ok(store
        .content_call_facts(&AnalysisFilter::default())?
        .into_iter()
        .filter(|call| {
            call.mentions.iter().any(|m| match m.content {
                Some(id) => ids.contains(&id),
                None => m.label.trim().to_lowercase() == text,
            })
        })
        .map(|call| call.call)
        .collect())
}

#[cfg(test)]
#[path = "content_usage_tests.rs"]
mod tests;
