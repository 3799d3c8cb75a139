//! Topics discovered across the workspace's calls: the utterances of every ready call
//! (customer and rep alike) are embedded, clustered (`rapport_embed::discover_topics`), the
//! clusters named by their top terms and stored, and every call gets its topic rows.
//!
//! Definitions:
//! - Only utterances of at least [`MIN_WORDS`] words take part: "Yeah." and "Okay." say
//!   nothing about a topic and would form clusters of their own.
//! - An utterance belongs to the topic with the nearest centroid. A call *has* a topic when at
//!   least [`MIN_UTTERANCES`] of its utterances belong to it (one sentence is a passing
//!   remark); its quote is the utterance closest to the centroid, customer side first.
//! - Discovery clusters at most [`MAX_UTTERANCES`] utterances (a seeded sample beyond that);
//!   every call is then assigned to the topics found.
//!
//! A topic found again keeps its id and the name a person gave it (see `TopicStore`).

use rapport_domain::{CallStatus, SpeakerRole, Timestamp, User, UtteranceRow};
use rapport_embed::{cosine, discover_topics};
use rapport_store::topics::{CallTopicRow, NewTopic, StoredTopic};
use rapport_store::{CallQuery, Store};
use serde::Serialize;

use crate::smart::{embed_error, SmartAnalyzer};
use crate::AppError;

/// Fewest words an utterance needs to take part in topics.
pub const MIN_WORDS: usize = 4;
/// Fewest utterances on a topic for a call to have it.
pub const MIN_UTTERANCES: u32 = 2;
/// Most utterances clustered in one discovery.
pub const MAX_UTTERANCES: usize = 20_000;
/// Calls read per page.
const PAGE: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscoverOptions {
    /// Number of topics; `None` chooses k by silhouette.
    pub k: Option<usize>,
    pub seed: u64,
}

/// The seed `rapport topics discover` uses unless told another.
pub const DEFAULT_SEED: u64 = 42;

impl Default for DiscoverOptions {
    /// k chosen by silhouette, the default seed.
    fn default() -> DiscoverOptions {
        DiscoverOptions { k: None, seed: DEFAULT_SEED }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discovery {
    pub topics: Vec<StoredTopic>,
    pub calls: u64,
    /// Utterances clustered (after the sample).
    pub utterances: u64,
    /// Calls that have at least one topic.
    pub calls_with_topics: u64,
    pub silhouettes: Vec<(usize, f32)>,
}

/// A candidate quote: whether the customer said it, its cosine to the centroid, its position.
type Quote = (bool, f32, usize);

fn eligible(row: &UtteranceRow) -> bool {
    row.text.split_whitespace().count() >= MIN_WORDS
}

/// The topic rows of one call. `embeddings[i]` is the vector of `rows[i]`; utterances too
/// short to count are skipped.
pub fn call_topic_rows(
    topics: &[StoredTopic],
    rows: &[UtteranceRow],
    embeddings: &[Vec<f32>],
) -> Vec<CallTopicRow> {
    if topics.is_empty() {
        return Vec::new();
    }
    let norms: Vec<f32> = topics.iter().map(|t| cosine(&t.centroid, &t.centroid).sqrt().max(1e-12)).collect();
    // Per topic: utterances, best quote (customer side first, then cosine).
    let mut tally: Vec<(u32, Option<Quote>)> = vec![(0, None); topics.len()];
    for (position, (row, vector)) in rows.iter().zip(embeddings).enumerate() {
        if !eligible(row) {
            continue;
        }
        let nearest = topics
            .iter()
            .enumerate()
            .map(|(index, topic)| {
                let distance: f32 = topic.centroid.iter().zip(vector).map(|(c, v)| (c - v) * (c - v)).sum();
                (index, distance)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(index, _)| index)
            .expect("topics is not empty");
        let similarity = cosine(vector, &topics[nearest].centroid) / norms[nearest];
        let customer = row.role != SpeakerRole::Rep;
        let entry = &mut tally[nearest];
        entry.0 += 1;
        let better = match entry.1 {
            None => true,
            Some((was_customer, was, _)) => (customer, similarity) > (was_customer, was),
        };
        if better {
            entry.1 = Some((customer, similarity, position));
        }
    }
    let mut found: Vec<CallTopicRow> = tally
        .into_iter()
        .zip(topics)
        .filter(|((count, _), _)| *count >= MIN_UTTERANCES)
        .filter_map(|((count, quote), topic)| {
            let (customer, similarity, position) = quote?;
            let row = &rows[position];
            Some(CallTopicRow {
                topic: topic.id.clone(),
                utterances: count,
                utterance: row.index,
                time_ms: row.start_ms,
                side: if customer { SpeakerRole::Customer } else { SpeakerRole::Rep },
                score: f64::from(similarity),
            })
        })
        .collect();
    found.sort_by(|a, b| b.utterances.cmp(&a.utterances).then_with(|| a.topic.cmp(&b.topic)));
    found
}

/// Every ready call's stored utterances, page by page.
fn for_each_call(
    store: &dyn Store,
    each: &mut dyn FnMut(rapport_domain::CallId, Vec<UtteranceRow>) -> Result<(), AppError>,
) -> Result<u64, AppError> {
    let mut offset = 0;
    let mut calls = 0;
    loop {
        let query =
            CallQuery { status: Some(CallStatus::Ready), limit: PAGE, offset, ..CallQuery::default() };
        let page = store.list_calls(&query)?;
        for call in &page {
            each(call.id, store.call_utterances(call.id)?)?;
            calls += 1;
        }
        if page.len() < PAGE as usize {
            return Ok(calls);
        }
        offset += PAGE;
    }
}

/// Discovers the topics of every ready call, stores them (replacing the previous ones) and
/// every call's topic rows; `progress(done, total)` after each call assigned.
pub fn discover(
    store: &dyn Store,
    smart: &SmartAnalyzer,
    options: DiscoverOptions,
    now: Timestamp,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Discovery, AppError> {
    let mut texts: Vec<String> = Vec::new();
    let calls = for_each_call(store, &mut |_, rows| {
        texts.extend(rows.into_iter().filter(eligible).map(|row| row.text));
        Ok(())
    })?;
    let mut chosen: Vec<usize> = (0..texts.len()).collect();
    if chosen.len() > MAX_UTTERANCES {
        // Every k-th utterance from a seeded start: spread over all calls, the same each run.
        let step = chosen.len() as f64 / MAX_UTTERANCES as f64;
        let start = (options.seed % 997) as f64 / 997.0 * step;
        chosen = (0..MAX_UTTERANCES).map(|i| (start + i as f64 * step) as usize).collect();
    }
    let sample: Vec<&str> = chosen.iter().map(|&i| texts[i].as_str()).collect();
    let embeddings = smart.embedder().embed(&sample).map_err(embed_error)?;
    let model = discover_topics(&embeddings, &sample, options.k, options.seed).map_err(embed_error)?;
    let new: Vec<NewTopic> = model
        .topics
        .iter()
        .map(|topic| NewTopic {
            id: topic.id.clone(),
            name: topic.name.clone(),
            top_terms: topic.top_terms.clone(),
            size: topic.size as u64,
            centroid: topic.centroid.clone(),
        })
        .collect();
    let topics = store.replace_topics(&new, now)?;
    let (mut done, mut with_topics) = (0, 0);
    progress(0, calls);
    for_each_call(store, &mut |call, rows| {
        let vectors = smart.embed_rows(&rows)?;
        let found = call_topic_rows(&topics, &rows, &vectors);
        with_topics += u64::from(!found.is_empty());
        match store.put_call_topics(call, &found) {
            Ok(()) => {}
            // Re-transcribed meanwhile: its own analysis assigns it.
            Err(error) if error.is_user_error() => tracing::warn!(%call, %error, "call skipped"),
            Err(error) => return Err(error.into()),
        }
        done += 1;
        progress(done, calls);
        Ok(())
    })?;
    Ok(Discovery {
        topics,
        calls,
        utterances: sample.len() as u64,
        calls_with_topics: with_topics,
        silhouettes: model.silhouettes,
    })
}

pub fn list(store: &dyn Store) -> Result<Vec<StoredTopic>, AppError> {
    Ok(store.topics()?)
}

/// Renames a topic and records it in the audit log (`actor` `None`: the command line).
pub fn rename(
    store: &dyn Store,
    id: &str,
    name: &str,
    actor: Option<&User>,
    now: Timestamp,
) -> Result<StoredTopic, AppError> {
    let before = store.topics()?.into_iter().find(|topic| topic.id == id);
    let renamed = store.rename_topic(id, name, now)?;
    let details = format!("{:?} → {:?}", before.map(|topic| topic.name).unwrap_or_default(), renamed.name);
    crate::audit::record(store, &crate::audit::entry(actor, "topic.rename", id, &details, now))?;
    Ok(renamed)
}

#[cfg(test)]
#[path = "topics_tests.rs"]
mod tests;
