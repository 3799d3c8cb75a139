//! [`TopicStore`] for PostgreSQL: discovered topics and each call's topic rows (migration 0008).

use postgres::Row;
use rapport_domain::{CallId, SpeakerRole, Timestamp};
use rapport_store::decode::{millis, time};
use rapport_store::topics::{
    centroid_bytes, centroid_from_bytes, check_call_topic_rows, check_new_topics, check_topic_name,
    CallTopicHit, CallTopicRow, NewTopic, StoredTopic,
};
use rapport_store::{StoreError, TopicStore};

use crate::connection::{Connection, Transaction};
use crate::convert::{get, storable_value};
use crate::{revision, transcripts, PostgresStore};

const TOPIC_COLUMNS: &str =
    "id, name, generated_name, renamed, top_terms, size, centroid, discovered_at FROM topics";
const ROW_COLUMNS: &str =
    "topic_id, utterances, utterance_idx, time_ms, side, score, call_id FROM call_topics";

fn topic_row(row: &Row) -> Result<StoredTopic, StoreError> {
    let terms: String = get(row, 4)?;
    Ok(StoredTopic {
        id: get(row, 0)?,
        name: get(row, 1)?,
        generated_name: get(row, 2)?,
        renamed: get(row, 3)?,
        top_terms: serde_json::from_str(&terms)
            .map_err(|e| StoreError::Database(format!("stored top terms cannot be read back: {e}")))?,
        size: get::<i64>(row, 5)? as u64,
        centroid: centroid_from_bytes(&get::<Vec<u8>>(row, 6)?)?,
        discovered_at: time(get(row, 7)?)?,
    })
}

fn call_topic_row(row: &Row) -> Result<CallTopicHit, StoreError> {
    let side: String = get(row, 4)?;
    Ok(CallTopicHit {
        call: CallId(get(row, 6)?),
        row: CallTopicRow {
            topic: get(row, 0)?,
            utterances: get::<i32>(row, 1)? as u32,
            utterance: get::<i32>(row, 2)? as u32,
            time_ms: get(row, 3)?,
            side: if side == "rep" { SpeakerRole::Rep } else { SpeakerRole::Customer },
            score: get(row, 5)?,
        },
    })
}

fn read_topics(connection: &mut Connection, id: Option<&str>) -> Result<Vec<StoredTopic>, StoreError> {
    let rows = match id {
        Some(id) => connection.query(&format!("SELECT {TOPIC_COLUMNS} WHERE id = $1"), &[&id])?,
        None => connection.query(&format!("SELECT {TOPIC_COLUMNS} ORDER BY size DESC, id"), &[])?,
    };
    rows.iter().map(topic_row).collect()
}

fn small(field: String, value: u32) -> Result<i32, StoreError> {
    i32::try_from(value).map_err(|_| StoreError::Invalid { field, message: format!("{value} is too large") })
}

impl TopicStore for PostgresStore {
    fn replace_topics(&self, topics: &[NewTopic], now: Timestamp) -> Result<Vec<StoredTopic>, StoreError> {
        check_new_topics(topics)?;
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        // Two discoveries at once would interleave their deletes and upserts; one waits.
        transaction.execute("LOCK TABLE topics IN SHARE ROW EXCLUSIVE MODE", &[])?;
        transaction.execute("DELETE FROM call_topics", &[])?;
        let kept: Vec<&str> = topics.iter().map(|topic| topic.id.as_str()).collect();
        transaction.execute("DELETE FROM topics WHERE NOT (id = ANY($1))", &[&kept])?;
        for topic in topics {
            let terms = serde_json::to_string(&topic.top_terms).expect("terms serialise");
            storable_value([("top_terms", Some(terms.as_str()))])?;
            transaction.execute(
                "INSERT INTO topics (id, name, generated_name, renamed, top_terms, size, centroid, discovered_at)
                 VALUES ($1, $2, $2, FALSE, $3, $4, $5, $6)
                 ON CONFLICT (id) DO UPDATE SET
                     name = CASE WHEN topics.renamed THEN topics.name ELSE EXCLUDED.name END,
                     generated_name = EXCLUDED.generated_name, top_terms = EXCLUDED.top_terms,
                     size = EXCLUDED.size, centroid = EXCLUDED.centroid,
                     discovered_at = EXCLUDED.discovered_at",
                &[
                    &topic.id,
                    &topic.name.trim(),
                    &terms,
                    &(topic.size as i64),
                    &centroid_bytes(&topic.centroid),
                    &millis(now),
                ],
            )?;
        }
        revision::bump(&mut transaction)?;
        let stored = read_topics(&mut transaction, None)?;
        transaction.commit()?;
        Ok(stored)
    }

    fn topics(&self) -> Result<Vec<StoredTopic>, StoreError> {
        let mut connection = self.pool.get()?;
        read_topics(&mut connection, None)
    }

    fn rename_topic(&self, id: &str, name: &str, now: Timestamp) -> Result<StoredTopic, StoreError> {
        let name = check_topic_name(name)?;
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        let changed = transaction.execute(
            "UPDATE topics SET name = $2, renamed = TRUE, renamed_at = $3 WHERE id = $1",
            &[&id, &name, &millis(now)],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: "topic", key: id.to_owned() });
        }
        revision::bump(&mut transaction)?;
        let stored = read_topics(&mut transaction, Some(id))?.remove(0);
        transaction.commit()?;
        Ok(stored)
    }

    fn put_call_topics(&self, call: CallId, rows: &[CallTopicRow]) -> Result<(), StoreError> {
        check_call_topic_rows(rows)?;
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        // Waits for a transcript replacement in flight, as `put_analysis` does.
        if !transcripts::lock_call(&mut transaction, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        let utterances: i64 = get(
            &transaction.query_one("SELECT COUNT(*) FROM call_utterances WHERE call_id = $1", &[&call.0])?,
            0,
        )?;
        let invalid =
            |field: String, message: &str| StoreError::Invalid { field, message: message.to_owned() };
        for (i, row) in rows.iter().enumerate() {
            if transaction.query_opt("SELECT 1 FROM topics WHERE id = $1", &[&row.topic])?.is_none() {
                return Err(invalid(format!("topics[{i}].topic"), "no stored topic has this id"));
            }
            if i64::from(row.utterance) >= utterances {
                return Err(invalid(
                    format!("topics[{i}].utterance"),
                    "the call's transcript has no such utterance",
                ));
            }
        }
        transaction.execute("DELETE FROM call_topics WHERE call_id = $1", &[&call.0])?;
        for (i, row) in rows.iter().enumerate() {
            let side = if row.side == SpeakerRole::Rep { "rep" } else { "customer" };
            transaction.execute(
                "INSERT INTO call_topics (call_id, topic_id, utterances, utterance_idx, time_ms, side, score)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &call.0,
                    &row.topic,
                    &small(format!("topics[{i}].utterances"), row.utterances)?,
                    &small(format!("topics[{i}].utterance"), row.utterance)?,
                    &row.time_ms,
                    &side,
                    &row.score,
                ],
            )?;
        }
        revision::bump(&mut transaction)?;
        transaction.commit()
    }

    fn call_topics(&self, call: CallId) -> Result<Vec<CallTopicRow>, StoreError> {
        let rows = self.pool.get()?.query(
            &format!("SELECT {ROW_COLUMNS} WHERE call_id = $1 ORDER BY utterances DESC, topic_id"),
            &[&call.0],
        )?;
        rows.iter().map(|row| call_topic_row(row).map(|hit| hit.row)).collect()
    }

    fn topic_hits(&self) -> Result<Vec<CallTopicHit>, StoreError> {
        let rows = self
            .pool
            .get()?
            .query(&format!("SELECT {ROW_COLUMNS} ORDER BY call_id, utterances DESC, topic_id"), &[])?;
        rows.iter().map(call_topic_row).collect()
    }
}
