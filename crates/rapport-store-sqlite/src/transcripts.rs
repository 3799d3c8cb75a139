//! A call's stored transcript: replacing it wholesale (inside the caller's transaction) and
//! reading it back in order.

use rapport_domain::{SpeakerRole, UtteranceRow, WordRow};
use rusqlite::{params, Connection, OptionalExtension};

use rapport_store::StoreError;

use crate::convert::OrDatabaseError;
use crate::reads::for_each_row;

pub(crate) fn call_exists(connection: &Connection, call: i64) -> Result<bool, StoreError> {
    let found: Option<i64> = connection
        .prepare_cached("SELECT id FROM calls WHERE id = ?1")
        .or_db()?
        .query_row([call], |row| row.get(0))
        .optional()
        .or_db()?;
    Ok(found.is_some())
}

/// Deletes the call's utterances and words, then checks and inserts the new ones row by row;
/// the first refused row returns its error, and the caller's rollback restores the old set.
pub(crate) fn replace(
    connection: &Connection,
    call: i64,
    utterances: &[UtteranceRow],
    duration_ms: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    if duration_ms.is_some_and(|d| d < 0) {
        return Err(StoreError::Invalid {
            field: "duration_ms".into(),
            message: "cannot be negative".into(),
        });
    }
    connection
        .prepare_cached("DELETE FROM call_words WHERE call_id = ?1")
        .or_db()?
        .execute([call])
        .or_db()?;
    connection
        .prepare_cached("DELETE FROM call_utterances WHERE call_id = ?1")
        .or_db()?
        .execute([call])
        .or_db()?;
    let mut insert_utterance = connection
        .prepare_cached(
            "INSERT INTO call_utterances (call_id, idx, speaker, role, channel, start_ms, end_ms, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .or_db()?;
    let mut insert_word = connection
        .prepare_cached(
            "INSERT INTO call_words (call_id, utterance_idx, idx, text, start_ms, end_ms, confidence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .or_db()?;
    for (position, utterance) in utterances.iter().enumerate() {
        utterance.check(position)?;
        insert_utterance
            .execute(params![
                call,
                utterance.index,
                utterance.speaker,
                utterance.role.as_str(),
                utterance.channel,
                utterance.start_ms,
                utterance.end_ms,
                utterance.text,
            ])
            .or_db()?;
        for (index, word) in utterance.words.iter().enumerate() {
            insert_word
                .execute(params![
                    call,
                    utterance.index,
                    index as i64,
                    word.text,
                    word.start_ms,
                    word.end_ms,
                    word.confidence.map(f64::from),
                ])
                .or_db()?;
        }
    }
    connection
        .prepare_cached(
            "UPDATE calls SET status = 'ready', failure = NULL, duration_ms = COALESCE(?2, duration_ms),
                              updated_at = ?3
             WHERE id = ?1",
        )
        .or_db()?
        .execute(params![call, duration_ms, now])
        .or_db()?;
    Ok(())
}

/// The utterances in order, each with its words. Read in one snapshot by the caller, so
/// words always belong to the utterances read.
pub(crate) fn utterances(connection: &Connection, call: i64) -> Result<Vec<UtteranceRow>, StoreError> {
    let mut utterances: Vec<UtteranceRow> = Vec::new();
    for_each_row(
        connection,
        "SELECT idx, speaker, role, channel, start_ms, end_ms, text FROM call_utterances
         WHERE call_id = ?1 ORDER BY idx",
        &[&call],
        |row| {
            let role: String = row.get(2).or_db()?;
            utterances.push(UtteranceRow {
                index: row.get(0).or_db()?,
                speaker: row.get(1).or_db()?,
                role: SpeakerRole::parse(&role).ok_or_else(|| {
                    StoreError::Database(format!("stored speaker role `{role}` cannot be read back"))
                })?,
                channel: row.get(3).or_db()?,
                start_ms: row.get(4).or_db()?,
                end_ms: row.get(5).or_db()?,
                text: row.get(6).or_db()?,
                words: Vec::new(),
            });
            Ok(())
        },
    )?;
    for_each_row(
        connection,
        "SELECT utterance_idx, text, start_ms, end_ms, confidence FROM call_words
         WHERE call_id = ?1 ORDER BY utterance_idx, idx",
        &[&call],
        |row| {
            let utterance: usize = row.get(0).or_db()?;
            let word = WordRow {
                text: row.get(1).or_db()?,
                start_ms: row.get(2).or_db()?,
                end_ms: row.get(3).or_db()?,
                // Stored from an f32, so converting back is exact.
                confidence: row.get::<_, Option<f64>>(4).or_db()?.map(|c| c as f32),
            };
            // Utterances are numbered 0.. in order, so the index is the position.
            match utterances.get_mut(utterance) {
                Some(owner) => owner.words.push(word),
                None => return Err(StoreError::Database(format!("a word of call {call} has no utterance"))),
            }
            Ok(())
        },
    )?;
    Ok(utterances)
}
