//! Topics discovered across the workspace's calls (clusters of utterance embeddings, made by
//! `rapport-embed` and stored here), the names people give them, and each call's topic rows:
//! which topics a call spends utterances on, with the most typical utterance as its quote.
//!
//! The store knows nothing of embeddings beyond a topic's centroid, kept as plain `f32`s so a
//! call analysed later is assigned to the stored topics without clustering again. A topic's id
//! comes from its top terms (see `rapport_embed::Topic::id`), so discovering again keeps the
//! id of a topic that is still about the same words, and [`TopicStore::replace_topics`] keeps
//! the name a user gave it.

use rapport_domain::{CallId, InvalidField, SpeakerRole, Timestamp};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// A discovered topic, as discovery hands it over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTopic {
    pub id: String,
    /// The name made from its top terms.
    pub name: String,
    pub top_terms: Vec<String>,
    /// Utterances the clustering put in it.
    pub size: u64,
    pub centroid: Vec<f32>,
}

/// A stored topic. `name` is what people see: the generated name until someone renames it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredTopic {
    pub id: String,
    pub name: String,
    pub generated_name: String,
    pub renamed: bool,
    pub top_terms: Vec<String>,
    pub size: u64,
    #[serde(skip_serializing)]
    pub centroid: Vec<f32>,
    pub discovered_at: Timestamp,
}

/// One topic on one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallTopicRow {
    pub topic: String,
    /// How many of the call's utterances were assigned to it.
    pub utterances: u32,
    /// The quote: the call's utterance closest to the topic (customer side first).
    pub utterance: u32,
    pub time_ms: i64,
    /// The quote's side (unknown speakers count as the customer side).
    pub side: SpeakerRole,
    /// Cosine similarity of the quote to the topic's centroid.
    pub score: f64,
}

/// A call's topic row with its call, for reports over every call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallTopicHit {
    pub call: CallId,
    #[serde(flatten)]
    pub row: CallTopicRow,
}

/// The longest topic name, in characters.
pub const MAX_TOPIC_NAME: usize = 200;

/// Checks a name a person gives a topic; returns it trimmed.
pub fn check_topic_name(name: &str) -> Result<&str, InvalidField> {
    let name = name.trim();
    if name.is_empty() {
        return Err(InvalidField::new("name", "a topic needs a name"));
    }
    if name.chars().count() > MAX_TOPIC_NAME {
        return Err(InvalidField::new("name", format!("is longer than {MAX_TOPIC_NAME} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(InvalidField::new("name", "contains a control character"));
    }
    Ok(name)
}

/// The checks both backends make on a discovery before replacing anything.
pub fn check_new_topics(topics: &[NewTopic]) -> Result<(), InvalidField> {
    let mut ids = std::collections::HashSet::new();
    let dimensions = topics.first().map_or(0, |topic| topic.centroid.len());
    for (i, topic) in topics.iter().enumerate() {
        if topic.id.trim().is_empty() || topic.id.chars().any(char::is_control) {
            return Err(InvalidField::new(format!("topics[{i}].id"), "a topic needs an id"));
        }
        if !ids.insert(topic.id.as_str()) {
            return Err(InvalidField::new(format!("topics[{i}].id"), "is used twice"));
        }
        check_topic_name(&topic.name)
            .map_err(|e| InvalidField::new(format!("topics[{i}].name"), e.message))?;
        if topic.centroid.is_empty() || topic.centroid.len() != dimensions {
            return Err(InvalidField::new(
                format!("topics[{i}].centroid"),
                "every centroid needs the same, non-zero number of dimensions",
            ));
        }
        if topic.centroid.iter().any(|value| !value.is_finite()) {
            return Err(InvalidField::new(
                format!("topics[{i}].centroid"),
                "holds a value that is not finite",
            ));
        }
    }
    Ok(())
}

/// The checks both backends make on a call's topic rows before looking at the store.
pub fn check_call_topic_rows(rows: &[CallTopicRow]) -> Result<(), InvalidField> {
    let mut seen = std::collections::HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if !seen.insert(row.topic.as_str()) {
            return Err(InvalidField::new(format!("topics[{i}].topic"), "is listed twice"));
        }
        if !row.score.is_finite() || row.utterances == 0 {
            return Err(InvalidField::new(
                format!("topics[{i}]"),
                "needs a finite score and at least one utterance",
            ));
        }
    }
    Ok(())
}

/// A centroid as stored: little-endian `f32`s.
pub fn centroid_bytes(centroid: &[f32]) -> Vec<u8> {
    centroid.iter().flat_map(|value| value.to_le_bytes()).collect()
}

pub fn centroid_from_bytes(bytes: &[u8]) -> Result<Vec<f32>, StoreError> {
    if !bytes.len().is_multiple_of(4) {
        return Err(StoreError::Database(format!("a stored centroid has {} bytes", bytes.len())));
    }
    Ok(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

pub trait TopicStore {
    /// Replaces the discovered topics in one transaction (checked with [`check_new_topics`]):
    /// topics whose id is not in `topics` are removed, the others added or updated; a topic
    /// kept by id keeps the name a person gave it. Every call's topic rows are removed, since
    /// they belong to the old clustering. Returns the stored topics, largest first.
    fn replace_topics(&self, topics: &[NewTopic], now: Timestamp) -> Result<Vec<StoredTopic>, StoreError>;

    /// Every topic, largest first (then by id).
    fn topics(&self) -> Result<Vec<StoredTopic>, StoreError>;

    /// Gives a topic a name ([`check_topic_name`]); `NotFound` naming the id when there is none.
    fn rename_topic(&self, id: &str, name: &str, now: Timestamp) -> Result<StoredTopic, StoreError>;

    /// Replaces the call's topic rows in one transaction. `NotFound` for an unknown call; a row
    /// naming an unknown topic or an utterance the transcript lacks is `Invalid` naming
    /// `topics[i].topic` or `topics[i].utterance`, and nothing is written.
    fn put_call_topics(&self, call: CallId, rows: &[CallTopicRow]) -> Result<(), StoreError>;

    /// The call's topic rows, most utterances first (then by topic id).
    fn call_topics(&self, call: CallId) -> Result<Vec<CallTopicRow>, StoreError>;

    /// Every call's topic rows, by call then as [`TopicStore::call_topics`] orders them.
    fn topic_hits(&self) -> Result<Vec<CallTopicHit>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroids_round_trip_and_names_are_checked() {
        let centroid = vec![0.25f32, -1.5, 3.0e-7];
        assert_eq!(centroid_from_bytes(&centroid_bytes(&centroid)).unwrap(), centroid);
        assert!(centroid_from_bytes(&[0, 1, 2]).is_err());
        assert_eq!(check_topic_name("  Pricing talk ").unwrap(), "Pricing talk");
        assert_eq!(check_topic_name(" ").unwrap_err().field, "name");
        assert!(check_topic_name(&"x".repeat(201)).unwrap_err().message.contains("200"));
        assert!(check_topic_name("a\u{1b}[31m").is_err());
        let topic = |id: &str, centroid: Vec<f32>| NewTopic {
            id: id.into(),
            name: "n".into(),
            top_terms: vec![],
            size: 1,
            centroid,
        };
        assert!(check_new_topics(&[topic("a", vec![1.0]), topic("b", vec![0.0])]).is_ok());
        let twice = check_new_topics(&[topic("a", vec![1.0]), topic("a", vec![0.0])]).unwrap_err();
        assert_eq!(twice.field, "topics[1].id");
        let uneven = check_new_topics(&[topic("a", vec![1.0]), topic("b", vec![0.0, 1.0])]).unwrap_err();
        assert_eq!(uneven.field, "topics[1].centroid");
        assert!(check_new_topics(&[topic("a", vec![f32::NAN])]).is_err());
    }
}
