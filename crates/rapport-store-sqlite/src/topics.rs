//! [`TopicStore`] for SQLite: discovered topics and each call's topic rows (migration 0008).

use rapport_domain::{CallId, SpeakerRole, Timestamp};
use rusqlite::{params, Connection, Row, TransactionBehavior};

use rapport_store::topics::{
    centroid_bytes, centroid_from_bytes, check_call_topic_rows, check_new_topics, check_topic_name,
    CallTopicHit, CallTopicRow, NewTopic, StoredTopic,
};
use rapport_store::{StoreError, TopicStore};

use crate::convert::{millis, time, OrDatabaseError};
use crate::reads::for_each_row;
use crate::{revision, transcripts, SqliteStore};

const TOPIC_COLUMNS: &str =
    "id, name, generated_name, renamed, top_terms, size, centroid, discovered_at FROM topics";
const ROW_COLUMNS: &str =
    "topic_id, utterances, utterance_idx, time_ms, side, score, call_id FROM call_topics";

fn topic_row(row: &Row<'_>) -> Result<StoredTopic, StoreError> {
    let terms: String = row.get(4).or_db()?;
    Ok(StoredTopic {
        id: row.get(0).or_db()?,
        name: row.get(1).or_db()?,
        generated_name: row.get(2).or_db()?,
        renamed: row.get(3).or_db()?,
        top_terms: serde_json::from_str(&terms)
            .map_err(|e| StoreError::Database(format!("stored top terms cannot be read back: {e}")))?,
        size: row.get::<_, i64>(5).or_db()? as u64,
        centroid: centroid_from_bytes(&row.get::<_, Vec<u8>>(6).or_db()?)?,
        discovered_at: time(row.get(7).or_db()?)?,
    })
}

fn call_topic_row(row: &Row<'_>) -> Result<CallTopicHit, StoreError> {
    let side: String = row.get(4).or_db()?;
    Ok(CallTopicHit {
        call: CallId(row.get(6).or_db()?),
        row: CallTopicRow {
            topic: row.get(0).or_db()?,
            utterances: row.get(1).or_db()?,
            utterance: row.get(2).or_db()?,
            time_ms: row.get(3).or_db()?,
            side: if side == "rep" { SpeakerRole::Rep } else { SpeakerRole::Customer },
            score: row.get(5).or_db()?,
        },
    })
}

fn read_topics(
    connection: &Connection,
    filter: &str,
    id: Option<&str>,
) -> Result<Vec<StoredTopic>, StoreError> {
    let mut topics = Vec::new();
    let sql = format!("SELECT {TOPIC_COLUMNS} {filter} ORDER BY size DESC, id");
    let params: Vec<&dyn rusqlite::ToSql> = id.iter().map(|id| id as &dyn rusqlite::ToSql).collect();
    for_each_row(connection, &sql, &params, |row| {
        topics.push(topic_row(row)?);
        Ok(())
    })?;
    Ok(topics)
}

fn read_rows(
    connection: &Connection,
    filter: &str,
    call: Option<i64>,
) -> Result<Vec<CallTopicHit>, StoreError> {
    let mut rows = Vec::new();
    let sql = format!("SELECT {ROW_COLUMNS} {filter} ORDER BY call_id, utterances DESC, topic_id");
    let params: Vec<&dyn rusqlite::ToSql> = call.iter().map(|c| c as &dyn rusqlite::ToSql).collect();
    for_each_row(connection, &sql, &params, |row| {
        rows.push(call_topic_row(row)?);
        Ok(())
    })?;
    Ok(rows)
}

impl TopicStore for SqliteStore {
    fn replace_topics(&self, topics: &[NewTopic], now: Timestamp) -> Result<Vec<StoredTopic>, StoreError> {
        check_new_topics(topics)?;
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        transaction.execute("DELETE FROM call_topics", []).or_db()?;
        let kept: Vec<&str> = topics.iter().map(|topic| topic.id.as_str()).collect();
        let kept = serde_json::to_string(&kept).expect("ids serialise");
        transaction
            .execute("DELETE FROM topics WHERE id NOT IN (SELECT value FROM json_each(?1))", [&kept])
            .or_db()?;
        let mut upsert = transaction
            .prepare_cached(
                "INSERT INTO topics (id, name, generated_name, renamed, top_terms, size, centroid, discovered_at)
                 VALUES (?1, ?2, ?2, 0, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET
                     name = CASE WHEN topics.renamed = 1 THEN topics.name ELSE excluded.name END,
                     generated_name = excluded.generated_name, top_terms = excluded.top_terms,
                     size = excluded.size, centroid = excluded.centroid,
                     discovered_at = excluded.discovered_at",
            )
            .or_db()?;
        for topic in topics {
            let terms = serde_json::to_string(&topic.top_terms).expect("terms serialise");
            upsert
                .execute(params![
                    topic.id,
                    topic.name.trim(),
                    terms,
                    topic.size as i64,
                    centroid_bytes(&topic.centroid),
                    millis(now)
                ])
                .or_db()?;
        }
        drop(upsert);
        revision::bump(&transaction)?;
        let stored = read_topics(&transaction, "", None)?;
        transaction.commit().or_db()?;
        Ok(stored)
    }

    fn topics(&self) -> Result<Vec<StoredTopic>, StoreError> {
        read_topics(&*self.pool.get()?, "", None)
    }

    fn rename_topic(&self, id: &str, name: &str, now: Timestamp) -> Result<StoredTopic, StoreError> {
        let name = check_topic_name(name)?;
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let changed = transaction
            .execute(
                "UPDATE topics SET name = ?2, renamed = 1, renamed_at = ?3 WHERE id = ?1",
                params![id, name, millis(now)],
            )
            .or_db()?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: "topic", key: id.to_owned() });
        }
        revision::bump(&transaction)?;
        let stored = read_topics(&transaction, "WHERE id = ?1", Some(id))?.remove(0);
        transaction.commit().or_db()?;
        Ok(stored)
    }

    fn put_call_topics(&self, call: CallId, rows: &[CallTopicRow]) -> Result<(), StoreError> {
        check_call_topic_rows(rows)?;
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        if !transcripts::call_exists(&transaction, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        let utterances: i64 = transaction
            .query_row("SELECT COUNT(*) FROM call_utterances WHERE call_id = ?1", [call.0], |row| row.get(0))
            .or_db()?;
        let invalid =
            |field: String, message: &str| StoreError::Invalid { field, message: message.to_owned() };
        for (i, row) in rows.iter().enumerate() {
            let known: i64 = transaction
                .query_row("SELECT COUNT(*) FROM topics WHERE id = ?1", [&row.topic], |r| r.get(0))
                .or_db()?;
            if known == 0 {
                return Err(invalid(format!("topics[{i}].topic"), "no stored topic has this id"));
            }
            if i64::from(row.utterance) >= utterances {
                return Err(invalid(
                    format!("topics[{i}].utterance"),
                    "the call's transcript has no such utterance",
                ));
            }
        }
        transaction.execute("DELETE FROM call_topics WHERE call_id = ?1", [call.0]).or_db()?;
        let mut insert = transaction
            .prepare_cached(
                "INSERT INTO call_topics (call_id, topic_id, utterances, utterance_idx, time_ms, side, score)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .or_db()?;
        for row in rows {
            let side = if row.side == SpeakerRole::Rep { "rep" } else { "customer" };
            insert
                .execute(params![
                    call.0,
                    row.topic,
                    row.utterances,
                    row.utterance,
                    row.time_ms,
                    side,
                    row.score
                ])
                .or_db()?;
        }
        drop(insert);
        revision::bump(&transaction)?;
        transaction.commit().or_db()
    }

    fn call_topics(&self, call: CallId) -> Result<Vec<CallTopicRow>, StoreError> {
        let rows = read_rows(&*self.pool.get()?, "WHERE call_id = ?1", Some(call.0))?;
        Ok(rows.into_iter().map(|hit| hit.row).collect())
    }

    fn topic_hits(&self) -> Result<Vec<CallTopicHit>, StoreError> {
        read_rows(&*self.pool.get()?, "", None)
    }
}
