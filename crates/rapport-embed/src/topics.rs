//! Topic discovery across calls: utterance embeddings clustered with k-means (k-means++
//! seeding from a seed, Lloyd iterations), k chosen by the mean silhouette over
//! `K_RANGE` unless given, each topic named by its most distinctive terms, and every
//! utterance assigned to its nearest topic so a call gets a topic timeline.
//!
//! Names use class-based TF-IDF (as BERTopic does): all of a cluster's utterances form one
//! document, a term's weight is its frequency in the cluster times
//! `ln(1 + average terms per cluster / the term's frequency over all clusters)`, so words
//! every topic uses sink and words one topic owns rise. English stopwords and spoken fillers
//! are removed first.
//!
//! A topic's id is derived from its three top terms, not from its position, so that running
//! discovery again on a grown set of calls gives a topic that is still about the same words
//! the same id, and a name a user gave it (stored elsewhere, by id) survives.

use std::collections::HashMap;

use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::rng::SplitMix64;
use crate::EmbedError;

/// The k tried when none is given (clamped to the number of utterances).
pub const K_RANGE: std::ops::RangeInclusive<usize> = 2..=12;
/// Silhouettes cost n² distances, so k is chosen on a seeded sample this big.
const SILHOUETTE_SAMPLE: usize = 1500;
const MAX_ITERATIONS: usize = 100;
const TOP_TERMS: usize = 6;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// Stable across re-runs while the topic's top terms stay the same (see the module docs).
    pub id: String,
    /// The top three terms, for people; rename by id in storage.
    pub name: String,
    pub top_terms: Vec<String>,
    /// Utterances assigned to it.
    pub size: usize,
    /// Mean of its utterances' embeddings: assigning a new call's utterances needs no refit.
    pub centroid: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicModel {
    pub topics: Vec<Topic>,
    /// Index into `topics` for each input utterance, in input order.
    pub assignments: Vec<usize>,
    /// Mean silhouette of each k tried (only k when it was given), best chosen.
    pub silhouettes: Vec<(usize, f32)>,
}

/// Clusters `embeddings` (one per text in `texts`) into `k` topics, or into the k of
/// `K_RANGE` with the best silhouette. The same inputs and seed give the same model.
pub fn discover_topics(
    embeddings: &[Vec<f32>],
    texts: &[&str],
    k: Option<usize>,
    seed: u64,
) -> Result<TopicModel, EmbedError> {
    if embeddings.len() != texts.len() {
        return Err(EmbedError::Topics(format!("{} embeddings for {} texts", embeddings.len(), texts.len())));
    }
    if embeddings.is_empty() {
        return Ok(TopicModel { topics: Vec::new(), assignments: Vec::new(), silhouettes: Vec::new() });
    }
    if k == Some(0) {
        return Err(EmbedError::Topics("k must be at least 1".into()));
    }
    let n = embeddings.len();
    let mut rng = SplitMix64::new(seed);
    let (k, silhouettes) = match k {
        Some(k) => (k.min(n), Vec::new()),
        None => choose_k(embeddings, &mut rng),
    };
    let centroids = kmeans(embeddings, k, &mut rng);
    let assignments: Vec<usize> = embeddings.iter().map(|vector| nearest(vector, &centroids)).collect();
    let names = name_clusters(texts, &assignments, k);
    let mut used_ids = std::collections::HashSet::new();
    let topics = (0..k)
        .map(|cluster| {
            let top_terms = names[cluster].clone();
            let mut id = topic_id(&top_terms);
            let mut suffix = 2;
            while !used_ids.insert(id.clone()) {
                id = format!("{}-{suffix}", topic_id(&top_terms));
                suffix += 1;
            }
            let name = if top_terms.is_empty() {
                format!("topic {}", cluster + 1)
            } else {
                top_terms.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            };
            Topic {
                id,
                name,
                size: assignments.iter().filter(|&&a| a == cluster).count(),
                top_terms,
                centroid: centroids[cluster].clone(),
            }
        })
        .collect();
    Ok(TopicModel { topics, assignments, silhouettes })
}

impl TopicModel {
    /// The nearest topic of each embedding (a call analysed after discovery).
    pub fn assign(&self, embeddings: &[Vec<f32>]) -> Vec<usize> {
        let centroids: Vec<Vec<f32>> = self.topics.iter().map(|topic| topic.centroid.clone()).collect();
        embeddings.iter().map(|vector| nearest(vector, &centroids)).collect()
    }
}

/// A stretch of a call spent on one topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicSegment {
    pub topic_id: String,
    pub name: String,
    pub start: f64,
    pub end: f64,
    pub first_utterance: usize,
    pub last_utterance: usize,
}

/// Consecutive utterances with the same topic merged into segments, in call order.
/// `assignments[i]` is the topic index (into `model.topics`) of utterance `i`.
pub fn topic_timeline(
    transcript: &Transcript,
    assignments: &[usize],
    model: &TopicModel,
) -> Vec<TopicSegment> {
    let mut segments: Vec<TopicSegment> = Vec::new();
    for (index, (utterance, &topic)) in transcript.utterances.iter().zip(assignments).enumerate() {
        let Some(topic) = model.topics.get(topic) else { continue };
        match segments.last_mut() {
            Some(last) if last.topic_id == topic.id => {
                last.end = last.end.max(utterance.end);
                last.last_utterance = index;
            }
            _ => segments.push(TopicSegment {
                topic_id: topic.id.clone(),
                name: topic.name.clone(),
                start: utterance.start,
                end: utterance.end,
                first_utterance: index,
                last_utterance: index,
            }),
        }
    }
    segments
}

fn squared_distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

fn nearest(vector: &[f32], centroids: &[Vec<f32>]) -> usize {
    let mut best = (0, f32::INFINITY);
    for (index, centroid) in centroids.iter().enumerate() {
        let distance = squared_distance(vector, centroid);
        if distance < best.1 {
            best = (index, distance);
        }
    }
    best.0
}

/// k-means++ seeding, then Lloyd iterations until no assignment changes.
fn kmeans(points: &[Vec<f32>], k: usize, rng: &mut SplitMix64) -> Vec<Vec<f32>> {
    let mut centroids = vec![points[rng.below(points.len())].clone()];
    let mut closest: Vec<f32> = points.iter().map(|p| squared_distance(p, &centroids[0])).collect();
    while centroids.len() < k {
        let total: f64 = closest.iter().map(|&d| f64::from(d)).sum();
        // All points already coincide with a centroid: duplicates can add nothing new.
        let chosen = if total <= 0.0 {
            rng.below(points.len())
        } else {
            let mut target = rng.unit() * total;
            closest
                .iter()
                .position(|&d| {
                    target -= f64::from(d);
                    target < 0.0
                })
                .unwrap_or(points.len() - 1)
        };
        centroids.push(points[chosen].clone());
        for (distance, point) in closest.iter_mut().zip(points) {
            *distance = distance.min(squared_distance(point, &points[chosen]));
        }
    }
    let mut assignments = vec![usize::MAX; points.len()];
    for _ in 0..MAX_ITERATIONS {
        let mut changed = false;
        for (assignment, point) in assignments.iter_mut().zip(points) {
            let cluster = nearest(point, &centroids);
            changed |= *assignment != cluster;
            *assignment = cluster;
        }
        if !changed {
            break;
        }
        let dimensions = points[0].len();
        let mut sums = vec![vec![0.0f32; dimensions]; k];
        let mut counts = vec![0usize; k];
        for (point, &cluster) in points.iter().zip(&assignments) {
            counts[cluster] += 1;
            sums[cluster].iter_mut().zip(point).for_each(|(s, v)| *s += v);
        }
        for cluster in 0..k {
            // An emptied cluster keeps its old centroid rather than collapsing to zero.
            if counts[cluster] > 0 {
                centroids[cluster] = sums[cluster].iter().map(|s| s / counts[cluster] as f32).collect();
            }
        }
    }
    centroids
}

/// The k of `K_RANGE` whose clustering of a seeded sample has the best mean silhouette.
fn choose_k(points: &[Vec<f32>], rng: &mut SplitMix64) -> (usize, Vec<(usize, f32)>) {
    let mut sample: Vec<usize> = (0..points.len()).collect();
    rng.shuffle(&mut sample);
    sample.truncate(SILHOUETTE_SAMPLE);
    let sample: Vec<Vec<f32>> = sample.into_iter().map(|index| points[index].clone()).collect();
    let largest = (*K_RANGE.end()).min(sample.len().saturating_sub(1));
    if largest < *K_RANGE.start() {
        return (1, Vec::new());
    }
    let distances: Vec<Vec<f32>> = sample
        .iter()
        .map(|a| sample.iter().map(|b| squared_distance(a, b).max(0.0).sqrt()).collect())
        .collect();
    let mut scores = Vec::new();
    for k in *K_RANGE.start()..=largest {
        let centroids = kmeans(&sample, k, rng);
        let assignments: Vec<usize> = sample.iter().map(|point| nearest(point, &centroids)).collect();
        scores.push((k, silhouette(&distances, &assignments, k)));
    }
    let best =
        scores.iter().copied().fold((1, f32::MIN), |best, (k, s)| if s > best.1 { (k, s) } else { best });
    (best.0, scores)
}

/// Mean silhouette (Rousseeuw 1987); a point alone in its cluster scores 0.
fn silhouette(distances: &[Vec<f32>], assignments: &[usize], k: usize) -> f32 {
    let mut total = 0.0;
    for (index, row) in distances.iter().enumerate() {
        let mut sums = vec![0.0f32; k];
        let mut counts = vec![0usize; k];
        for (other, &distance) in row.iter().enumerate() {
            if other != index {
                sums[assignments[other]] += distance;
                counts[assignments[other]] += 1;
            }
        }
        let own = assignments[index];
        if counts[own] == 0 {
            continue;
        }
        let a = sums[own] / counts[own] as f32;
        let b = (0..k)
            .filter(|&cluster| cluster != own && counts[cluster] > 0)
            .map(|cluster| sums[cluster] / counts[cluster] as f32)
            .fold(f32::INFINITY, f32::min);
        if b.is_finite() && a.max(b) > 0.0 {
            total += (b - a) / a.max(b);
        }
    }
    total / distances.len() as f32
}

/// The top terms of each cluster by class-based TF-IDF (see the module documentation).
fn name_clusters(texts: &[&str], assignments: &[usize], k: usize) -> Vec<Vec<String>> {
    let mut counts: Vec<HashMap<String, usize>> = vec![HashMap::new(); k];
    for (text, &cluster) in texts.iter().zip(assignments) {
        for term in terms(text) {
            *counts[cluster].entry(term).or_default() += 1;
        }
    }
    let mut overall: HashMap<&str, usize> = HashMap::new();
    for cluster in &counts {
        for (term, count) in cluster {
            *overall.entry(term.as_str()).or_default() += count;
        }
    }
    let totals: Vec<usize> = counts.iter().map(|cluster| cluster.values().sum()).collect();
    let average = totals.iter().sum::<usize>() as f64 / k as f64;
    counts
        .iter()
        .zip(&totals)
        .map(|(cluster, &total)| {
            let mut weighted: Vec<(&str, usize, f64)> = cluster
                .iter()
                .map(|(term, &count)| {
                    let tf = count as f64 / total.max(1) as f64;
                    (term.as_str(), count, tf * (1.0 + average / overall[term.as_str()] as f64).ln())
                })
                .collect();
            // A term said once is an anecdote, not a topic, unless the cluster is that small.
            if weighted.iter().any(|(_, count, _)| *count >= 2) {
                weighted.retain(|(_, count, _)| *count >= 2);
            }
            weighted.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(b.0)));
            weighted.into_iter().take(TOP_TERMS).map(|(term, _, _)| term.to_owned()).collect()
        })
        .collect()
}

/// Lower-case words of three letters or more, stopwords and numbers removed.
fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .map(|word| word.trim_matches(|c| c == '\'' || c == '’').to_lowercase())
        .filter(|word| {
            word.chars().count() >= 3
                && !word.chars().all(|c| c.is_ascii_digit())
                && !word.contains(['\'', '’'])
                && STOPWORDS.binary_search(&word.as_str()).is_err()
        })
}

/// FNV-1a of the sorted top three terms: the same words give the same id in every run.
fn topic_id(top_terms: &[String]) -> String {
    let mut key: Vec<&str> = top_terms.iter().take(3).map(String::as_str).collect();
    key.sort_unstable();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for byte in key.join(" ").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("topic-{:08x}", hash >> 32)
}

/// English stopwords and the fillers of speech, sorted (a test checks) for binary search.
const STOPWORDS: &[&str] = &[
    "about",
    "above",
    "actually",
    "after",
    "again",
    "against",
    "all",
    "also",
    "and",
    "any",
    "are",
    "around",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "can",
    "cannot",
    "could",
    "did",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "even",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "going",
    "gonna",
    "good",
    "got",
    "great",
    "had",
    "has",
    "have",
    "having",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "into",
    "its",
    "itself",
    "just",
    "kind",
    "know",
    "let",
    "like",
    "lot",
    "make",
    "maybe",
    "mean",
    "more",
    "most",
    "much",
    "need",
    "not",
    "now",
    "off",
    "okay",
    "once",
    "one",
    "only",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "pretty",
    "quite",
    "really",
    "right",
    "said",
    "same",
    "say",
    "see",
    "she",
    "should",
    "some",
    "something",
    "sort",
    "still",
    "such",
    "sure",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "through",
    "too",
    "under",
    "until",
    "very",
    "want",
    "was",
    "way",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yeah",
    "yes",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
#[path = "topics_tests.rs"]
mod tests;
