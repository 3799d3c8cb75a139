//! [`AnalysisStore`] for SQLite: trackers, stored analyses with their hit rows, settings,
//! analysis facts for reports; transcript search itself lives in `search.rs`.

use std::collections::HashMap;

use rapport_domain::{AccountId, CallId, ContentId, OpportunityId, PersonId, SpeakerRole, Timestamp, UserId};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use rapport_store::analysis::{
    AnalysisFilter, AnalysisSettings, CallAnalysisFacts, ContentMentionRow, NewAnalysis, SearchHit,
    SearchQuery, StaleCalls, StoredAnalysis, StoredTracker, TrackerDefinition, TrackerHitRow, TrackerKind,
    TrackerSet,
};
use rapport_store::{AnalysisStore, StoreError};

use crate::convert::{employees, millis, outcome, time, OrDatabaseError};
use crate::reads::for_each_row;
use crate::{revision, transcripts, SqliteStore};

/// The FTS5 query for `terms`: each term a double-quoted string (its words, which hold only
/// letters and digits, so nothing in them is FTS5 syntax), all of them required.
fn side_code(side: SpeakerRole) -> &'static str {
    match side {
        SpeakerRole::Rep => "rep",
        SpeakerRole::Customer | SpeakerRole::Unknown => "customer",
    }
}

fn tracker_row(row: &Row<'_>) -> Result<StoredTracker, StoreError> {
    let kind: String = row.get(1).or_db()?;
    Ok(StoredTracker {
        tracker: TrackerDefinition {
            name: row.get(0).or_db()?,
            kind: TrackerKind::parse(&kind).ok_or_else(|| {
                StoreError::Database(format!("stored tracker kind `{kind}` cannot be read back"))
            })?,
            definition: row.get(2).or_db()?,
        },
        version: row.get::<_, i64>(3).or_db()? as u64,
        updated_at: time(row.get(4).or_db()?)?,
    })
}

fn hit_row(row: &Row<'_>, first: usize) -> Result<TrackerHitRow, StoreError> {
    let side: String = row.get(first + 3).or_db()?;
    Ok(TrackerHitRow {
        tracker: row.get(first).or_db()?,
        utterance: row.get(first + 1).or_db()?,
        time_ms: row.get(first + 2).or_db()?,
        side: if side == "rep" { SpeakerRole::Rep } else { SpeakerRole::Customer },
        speaker: row.get(first + 4).or_db()?,
        score: row.get(first + 5).or_db()?,
    })
}

fn bump_tracker_set(connection: &Connection) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "UPDATE analysis_settings SET tracker_set_version = tracker_set_version + 1 WHERE id = 1",
        )
        .or_db()?
        .execute([])
        .or_db()?;
    Ok(())
}

fn insert_tracker(
    connection: &Connection,
    tracker: &TrackerDefinition,
    now: i64,
) -> Result<StoredTracker, StoreError> {
    tracker.check()?;
    let version: i64 = connection
        .prepare_cached(
            "INSERT INTO trackers (name, kind, definition, version, updated_at) VALUES (?1, ?2, ?3, 1, ?4)
             ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, definition = excluded.definition,
                 version = trackers.version + 1, updated_at = excluded.updated_at
             RETURNING version",
        )
        .or_db()?
        .query_row(params![tracker.name, tracker.kind.as_str(), tracker.definition, now], |row| row.get(0))
        .or_db()?;
    Ok(StoredTracker { tracker: tracker.clone(), version: version as u64, updated_at: time(now)? })
}

/// Checks hit and mention rows against the call's transcript before anything is written.
fn check_rows(connection: &Connection, call: i64, analysis: &NewAnalysis) -> Result<(), StoreError> {
    let utterances: i64 = connection
        .prepare_cached("SELECT COUNT(*) FROM call_utterances WHERE call_id = ?1")
        .or_db()?
        .query_row([call], |row| row.get(0))
        .or_db()?;
    let invalid = |field: String, message: &str| StoreError::Invalid { field, message: message.to_owned() };
    for (i, hit) in analysis.hits.iter().enumerate() {
        if i64::from(hit.utterance) >= utterances {
            return Err(invalid(
                format!("hits[{i}].utterance"),
                "the call's transcript has no such utterance",
            ));
        }
        if hit.tracker.trim().is_empty() {
            return Err(invalid(format!("hits[{i}].tracker"), "a hit needs its tracker's name"));
        }
    }
    for (i, mention) in analysis.content_mentions.iter().enumerate() {
        if i64::from(mention.utterance) >= utterances {
            return Err(invalid(
                format!("content_mentions[{i}].utterance"),
                "the call's transcript has no such utterance",
            ));
        }
    }
    if serde_json::from_str::<serde_json::Value>(&analysis.document).is_err() {
        return Err(invalid("document".into(), "is not JSON"));
    }
    Ok(())
}

fn write_analysis(
    connection: &Connection,
    call: i64,
    analysis: &NewAnalysis,
    now: i64,
) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM call_tracker_hits WHERE call_id = ?1",
        "DELETE FROM call_content_mentions WHERE call_id = ?1",
    ] {
        connection.prepare_cached(sql).or_db()?.execute([call]).or_db()?;
    }
    connection
        .prepare_cached(
            "INSERT INTO call_analyses (call_id, document, analysis_version, tracker_set_version, analysed_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (call_id) DO UPDATE SET document = excluded.document,
                 analysis_version = excluded.analysis_version,
                 tracker_set_version = excluded.tracker_set_version, analysed_at = excluded.analysed_at",
        )
        .or_db()?
        .execute(params![call, analysis.document, analysis.analysis_version, analysis.tracker_set_version as i64, now])
        .or_db()?;
    let mut insert_hit = connection
        .prepare_cached(
            "INSERT INTO call_tracker_hits (call_id, tracker, utterance_idx, time_ms, side, speaker, score)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .or_db()?;
    for hit in &analysis.hits {
        insert_hit
            .execute(params![
                call,
                hit.tracker,
                hit.utterance,
                hit.time_ms,
                side_code(hit.side),
                hit.speaker,
                hit.score
            ])
            .or_db()?;
    }
    let mut insert_mention = connection
        .prepare_cached(
            "INSERT INTO call_content_mentions (call_id, content_id, label, utterance_idx, time_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .or_db()?;
    for mention in &analysis.content_mentions {
        insert_mention
            .execute(params![
                call,
                mention.content_id.map(|c| c.0),
                mention.label,
                mention.utterance,
                mention.time_ms
            ])
            .or_db()?;
    }
    Ok(())
}

impl AnalysisStore for SqliteStore {
    fn tracker_set(&self) -> Result<TrackerSet, StoreError> {
        let mut connection = self.pool.get()?;
        let snapshot = connection.transaction_with_behavior(TransactionBehavior::Deferred).or_db()?;
        let mut trackers = Vec::new();
        for_each_row(
            &snapshot,
            "SELECT name, kind, definition, version, updated_at FROM trackers ORDER BY name",
            &[],
            |row| {
                trackers.push(tracker_row(row)?);
                Ok(())
            },
        )?;
        let (set_version, seeded): (i64, bool) = snapshot
            .prepare_cached("SELECT tracker_set_version, trackers_seeded FROM analysis_settings WHERE id = 1")
            .or_db()?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .or_db()?;
        Ok(TrackerSet { trackers, set_version: set_version as u64, seeded })
    }

    fn put_tracker(&self, tracker: &TrackerDefinition, now: Timestamp) -> Result<StoredTracker, StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let stored = insert_tracker(&transaction, tracker, millis(now))?;
        bump_tracker_set(&transaction)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()?;
        Ok(stored)
    }

    fn remove_tracker(&self, name: &str, _now: Timestamp) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let removed = transaction
            .prepare_cached("DELETE FROM trackers WHERE name = ?1")
            .or_db()?
            .execute([name])
            .or_db()?;
        if removed == 0 {
            return Err(StoreError::NotFound { what: "tracker", key: name.to_owned() });
        }
        transaction
            .prepare_cached("DELETE FROM call_tracker_hits WHERE tracker = ?1")
            .or_db()?
            .execute([name])
            .or_db()?;
        bump_tracker_set(&transaction)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()
    }

    fn seed_trackers(&self, defaults: &[TrackerDefinition], now: Timestamp) -> Result<bool, StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let seeded: bool = transaction
            .prepare_cached("SELECT trackers_seeded FROM analysis_settings WHERE id = 1")
            .or_db()?
            .query_row([], |row| row.get(0))
            .or_db()?;
        if seeded {
            return Ok(false);
        }
        for tracker in defaults {
            insert_tracker(&transaction, tracker, millis(now))?;
        }
        transaction
            .prepare_cached("UPDATE analysis_settings SET trackers_seeded = 1 WHERE id = 1")
            .or_db()?
            .execute([])
            .or_db()?;
        bump_tracker_set(&transaction)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()?;
        Ok(true)
    }

    fn analysis_settings(&self) -> Result<AnalysisSettings, StoreError> {
        let connection = self.pool.get()?;
        let redact_pii: bool = connection
            .prepare_cached("SELECT redact_pii FROM analysis_settings WHERE id = 1")
            .or_db()?
            .query_row([], |row| row.get(0))
            .or_db()?;
        Ok(AnalysisSettings { redact_pii })
    }

    fn put_analysis_settings(&self, settings: &AnalysisSettings) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        transaction
            .prepare_cached("UPDATE analysis_settings SET redact_pii = ?1 WHERE id = 1")
            .or_db()?
            .execute([settings.redact_pii])
            .or_db()?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()
    }

    fn put_analysis(&self, call: CallId, analysis: &NewAnalysis, now: Timestamp) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        if !transcripts::call_exists(&transaction, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        check_rows(&transaction, call.0, analysis)?;
        write_analysis(&transaction, call.0, analysis, millis(now))?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()
    }

    fn analysis(&self, call: CallId) -> Result<Option<StoredAnalysis>, StoreError> {
        let mut connection = self.pool.get()?;
        let snapshot = connection.transaction_with_behavior(TransactionBehavior::Deferred).or_db()?;
        let head = snapshot
            .prepare_cached(
                "SELECT document, analysis_version, tracker_set_version, analysed_at FROM call_analyses
                 WHERE call_id = ?1",
            )
            .or_db()?
            .query_row([call.0], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, u32>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            })
            .optional()
            .or_db()?;
        let Some((document, analysis_version, tracker_set_version, analysed_at)) = head else {
            return Ok(None);
        };
        let mut hits = Vec::new();
        for_each_row(
            &snapshot,
            "SELECT tracker, utterance_idx, time_ms, side, speaker, score FROM call_tracker_hits
             WHERE call_id = ?1 ORDER BY utterance_idx, tracker, rowid",
            &[&call.0],
            |row| {
                hits.push(hit_row(row, 0)?);
                Ok(())
            },
        )?;
        let mut content_mentions = Vec::new();
        for_each_row(
            &snapshot,
            "SELECT content_id, label, utterance_idx, time_ms FROM call_content_mentions
             WHERE call_id = ?1 ORDER BY utterance_idx, rowid",
            &[&call.0],
            |row| {
                content_mentions.push(ContentMentionRow {
                    content_id: row.get::<_, Option<i64>>(0).or_db()?.map(ContentId),
                    label: row.get(1).or_db()?,
                    utterance: row.get(2).or_db()?,
                    time_ms: row.get(3).or_db()?,
                });
                Ok(())
            },
        )?;
        Ok(Some(StoredAnalysis {
            call,
            document,
            analysis_version,
            tracker_set_version: tracker_set_version as u64,
            analysed_at: time(analysed_at)?,
            hits,
            content_mentions,
        }))
    }

    fn stale_analyses(
        &self,
        analysis_version: u32,
        tracker_set_version: u64,
        after: Option<CallId>,
        limit: u32,
    ) -> Result<StaleCalls, StoreError> {
        let connection = self.pool.get()?;
        let mut calls = Vec::new();
        for_each_row(
            &connection,
            "SELECT c.id FROM calls c LEFT JOIN call_analyses a ON a.call_id = c.id
             WHERE c.status = 'ready' AND c.id > ?1
               AND (a.call_id IS NULL OR a.analysis_version < ?2 OR a.tracker_set_version < ?3)
             ORDER BY c.id LIMIT ?4",
            &[&after.map_or(0, |c| c.0), &analysis_version, &(tracker_set_version as i64), &limit],
            |row| {
                calls.push(CallId(row.get(0).or_db()?));
                Ok(())
            },
        )?;
        Ok(StaleCalls { calls })
    }

    fn analysis_facts(&self, filter: &AnalysisFilter) -> Result<Vec<CallAnalysisFacts>, StoreError> {
        let mut connection = self.pool.get()?;
        let snapshot = connection.transaction_with_behavior(TransactionBehavior::Deferred).or_db()?;
        let from = filter.from.map(millis);
        let to = filter.to.map(millis);
        let mut facts = Vec::new();
        for_each_row(
            &snapshot,
            "SELECT c.id, c.title, c.started_at, c.duration_ms, c.person_id, c.account_id, c.opportunity_id,
                    c.rep_id, o.outcome, ac.industry, ac.employees, p.source, cp.name, a.document
             FROM call_analyses a JOIN calls c ON c.id = a.call_id
             LEFT JOIN opportunities o ON o.id = c.opportunity_id
             LEFT JOIN accounts ac ON ac.id = c.account_id
             LEFT JOIN people p ON p.id = c.person_id
             LEFT JOIN campaigns cp ON cp.id = p.campaign_id
             WHERE (?1 IS NULL OR c.started_at >= ?1) AND (?2 IS NULL OR c.started_at < ?2)
             ORDER BY c.started_at, c.id",
            &[&from, &to],
            |row| {
                facts.push(CallAnalysisFacts {
                    call: CallId(row.get(0).or_db()?),
                    title: row.get(1).or_db()?,
                    started_at: time(row.get(2).or_db()?)?,
                    duration_ms: row.get(3).or_db()?,
                    person: row.get::<_, Option<i64>>(4).or_db()?.map(PersonId),
                    account: row.get::<_, Option<i64>>(5).or_db()?.map(AccountId),
                    opportunity: row.get::<_, Option<i64>>(6).or_db()?.map(OpportunityId),
                    rep: row.get::<_, Option<i64>>(7).or_db()?.map(UserId),
                    outcome: row.get::<_, Option<String>>(8).or_db()?.as_deref().map(outcome).transpose()?,
                    industry: row.get(9).or_db()?,
                    employees: employees(row.get(10).or_db()?)?,
                    source: row.get(11).or_db()?,
                    campaign: row.get(12).or_db()?,
                    document: row.get(13).or_db()?,
                    hits: Vec::new(),
                });
                Ok(())
            },
        )?;
        let position: HashMap<i64, usize> = facts.iter().enumerate().map(|(i, f)| (f.call.0, i)).collect();
        for_each_row(
            &snapshot,
            "SELECT h.call_id, h.tracker, h.utterance_idx, h.time_ms, h.side, h.speaker, h.score
             FROM call_tracker_hits h JOIN calls c ON c.id = h.call_id
             WHERE (?1 IS NULL OR c.started_at >= ?1) AND (?2 IS NULL OR c.started_at < ?2)
             ORDER BY h.call_id, h.utterance_idx, h.tracker, h.rowid",
            &[&from, &to],
            |row| {
                let call: i64 = row.get(0).or_db()?;
                if let Some(&i) = position.get(&call) {
                    facts[i].hits.push(hit_row(row, 1)?);
                }
                Ok(())
            },
        )?;
        Ok(facts)
    }

    fn search_utterances(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let connection = self.pool.get()?;
        crate::search::search_utterances(&connection, query)
    }
}
