//! A call's stored transcript: replacing it wholesale (inside the caller's transaction, with
//! the call's row locked so concurrent replacements take turns) and reading it back in order.

use rapport_domain::{SpeakerRole, UtteranceRow, WordRow};

use rapport_store::StoreError;

use crate::connection::Connection;
use crate::convert::get;

/// Locks the call's row for the rest of the transaction; `false` when there is no such call.
/// Without the lock, a second replacement's `DELETE` would not see the rows a first one is
/// inserting, and its inserts would then collide with them.
pub(crate) fn lock_call(connection: &mut Connection, call: i64) -> Result<bool, StoreError> {
    Ok(connection.query_opt("SELECT id FROM calls WHERE id = $1 FOR UPDATE", &[&call])?.is_some())
}

pub(crate) fn call_exists(connection: &mut Connection, call: i64) -> Result<bool, StoreError> {
    Ok(connection.query_opt("SELECT id FROM calls WHERE id = $1", &[&call])?.is_some())
}

fn small(field: String, value: u32) -> Result<i32, StoreError> {
    i32::try_from(value).map_err(|_| StoreError::Invalid { field, message: format!("{value} is too large") })
}

/// Deletes the call's utterances and words, then checks the new ones and inserts them as two
/// set-based statements (arrays through `unnest`); a refused row returns its error, and the
/// caller's rollback restores the old set.
pub(crate) fn replace(
    connection: &mut Connection,
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
    connection.execute("DELETE FROM call_words WHERE call_id = $1", &[&call])?;
    connection.execute("DELETE FROM call_utterances WHERE call_id = $1", &[&call])?;
    let mut rows = UtteranceArrays::default();
    let mut words = WordArrays::default();
    for (position, utterance) in utterances.iter().enumerate() {
        utterance.check(position)?;
        let index = small(format!("utterances[{position}].index"), utterance.index)?;
        rows.index.push(index);
        rows.speaker.push(utterance.speaker.as_deref());
        rows.role.push(utterance.role.as_str());
        rows.channel.push(
            utterance.channel.map(|c| small(format!("utterances[{position}].channel"), c)).transpose()?,
        );
        rows.start_ms.push(utterance.start_ms);
        rows.end_ms.push(utterance.end_ms);
        rows.text.push(&utterance.text);
        for (w, word) in utterance.words.iter().enumerate() {
            words.utterance.push(index);
            words.index.push(small(format!("utterances[{position}].words"), w as u32)?);
            words.text.push(&word.text);
            words.start_ms.push(word.start_ms);
            words.end_ms.push(word.end_ms);
            words.confidence.push(word.confidence);
        }
    }
    if !utterances.is_empty() {
        connection.query_batch(
            utterances.len(),
            "INSERT INTO call_utterances (call_id, idx, speaker, role, channel, start_ms, end_ms, text)
             SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bigint[], $8::text[])",
            &[&call, &rows.index, &rows.speaker, &rows.role, &rows.channel, &rows.start_ms, &rows.end_ms, &rows.text],
        )?;
    }
    if !words.index.is_empty() {
        connection.query_batch(
            words.index.len(),
            "INSERT INTO call_words (call_id, utterance_idx, idx, text, start_ms, end_ms, confidence)
             SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::bigint[], $6::bigint[], $7::real[])",
            &[&call, &words.utterance, &words.index, &words.text, &words.start_ms, &words.end_ms, &words.confidence],
        )?;
    }
    connection.execute(
        "UPDATE calls SET status = 'ready', failure = NULL, duration_ms = COALESCE($2, duration_ms), updated_at = $3
         WHERE id = $1",
        &[&call, &duration_ms, &now],
    )?;
    Ok(())
}

/// Column arrays of the utterances to insert.
#[derive(Default)]
struct UtteranceArrays<'u> {
    index: Vec<i32>,
    speaker: Vec<Option<&'u str>>,
    role: Vec<&'static str>,
    channel: Vec<Option<i32>>,
    start_ms: Vec<i64>,
    end_ms: Vec<i64>,
    text: Vec<&'u str>,
}

/// Column arrays of the words to insert.
#[derive(Default)]
struct WordArrays<'u> {
    utterance: Vec<i32>,
    index: Vec<i32>,
    text: Vec<&'u str>,
    start_ms: Vec<i64>,
    end_ms: Vec<i64>,
    confidence: Vec<Option<f32>>,
}

/// The utterances in order, each with its words; the caller reads in one snapshot, so words
/// always belong to the utterances read.
pub(crate) fn utterances(connection: &mut Connection, call: i64) -> Result<Vec<UtteranceRow>, StoreError> {
    let rows = connection.query(
        "SELECT idx, speaker, role, channel, start_ms, end_ms, text FROM call_utterances
         WHERE call_id = $1 ORDER BY idx",
        &[&call],
    )?;
    let mut utterances = rows
        .iter()
        .map(|row| {
            let role: &str = get(row, 2)?;
            Ok(UtteranceRow {
                index: unsigned(get(row, 0)?)?,
                speaker: get(row, 1)?,
                role: SpeakerRole::parse(role).ok_or_else(|| {
                    StoreError::Database(format!("stored speaker role `{role}` cannot be read back"))
                })?,
                channel: get::<Option<i32>>(row, 3)?.map(unsigned).transpose()?,
                start_ms: get(row, 4)?,
                end_ms: get(row, 5)?,
                text: get(row, 6)?,
                words: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let words = connection.query(
        "SELECT utterance_idx, text, start_ms, end_ms, confidence FROM call_words
         WHERE call_id = $1 ORDER BY utterance_idx, idx",
        &[&call],
    )?;
    for row in &words {
        let word = WordRow {
            text: get(row, 1)?,
            start_ms: get(row, 2)?,
            end_ms: get(row, 3)?,
            confidence: get(row, 4)?,
        };
        // Utterances are numbered 0.. in order, so the index is the position.
        let owner = usize::try_from(get::<i32>(row, 0)?).ok().and_then(|i| utterances.get_mut(i));
        match owner {
            Some(owner) => owner.words.push(word),
            None => return Err(StoreError::Database(format!("a word of call {call} has no utterance"))),
        }
    }
    Ok(utterances)
}

fn unsigned(value: i32) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Database(format!("stored index {value} is negative")))
}
