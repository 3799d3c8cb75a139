//! [`AnalysisStore`] for PostgreSQL: trackers, stored analyses with their hit rows, settings,
//! analysis facts for reports; transcript search itself lives in `search.rs`.

use std::collections::HashMap;

use postgres::Row;
use rapport_domain::{AccountId, CallId, ContentId, OpportunityId, PersonId, SpeakerRole, Timestamp, UserId};

use rapport_store::analysis::{
    AnalysisFilter, AnalysisSettings, CallAnalysisFacts, ContentMentionRow, NewAnalysis, SearchHit,
    SearchQuery, StaleCalls, StoredAnalysis, StoredTracker, TrackerDefinition, TrackerHitRow, TrackerKind,
    TrackerSet,
};
use rapport_store::{AnalysisStore, StoreError};

use crate::connection::{Connection, Transaction};
use crate::convert::{employees, get, millis, outcome, storable_value, time};
use crate::{revision, transcripts, PostgresStore};

fn u32_value(value: u32, field: &str) -> Result<i32, StoreError> {
    i32::try_from(value).map_err(|_| StoreError::Invalid {
        field: field.to_owned(),
        message: format!("{value} is too large"),
    })
}

fn side_code(side: SpeakerRole) -> &'static str {
    match side {
        SpeakerRole::Rep => "rep",
        SpeakerRole::Customer | SpeakerRole::Unknown => "customer",
    }
}

fn tracker_row(row: &Row) -> Result<StoredTracker, StoreError> {
    let kind: String = get(row, 1)?;
    Ok(StoredTracker {
        tracker: TrackerDefinition {
            name: get(row, 0)?,
            kind: TrackerKind::parse(&kind).ok_or_else(|| {
                StoreError::Database(format!("stored tracker kind `{kind}` cannot be read back"))
            })?,
            definition: get(row, 2)?,
        },
        version: get::<i64>(row, 3)? as u64,
        updated_at: time(get(row, 4)?)?,
    })
}

fn hit_row(row: &Row, first: usize) -> Result<TrackerHitRow, StoreError> {
    let side: String = get(row, first + 3)?;
    Ok(TrackerHitRow {
        tracker: get(row, first)?,
        utterance: get::<i32>(row, first + 1)? as u32,
        time_ms: get(row, first + 2)?,
        side: if side == "rep" { SpeakerRole::Rep } else { SpeakerRole::Customer },
        speaker: get(row, first + 4)?,
        score: get(row, first + 5)?,
    })
}

fn bump_tracker_set(connection: &mut Connection) -> Result<(), StoreError> {
    connection.execute(
        "UPDATE analysis_settings SET tracker_set_version = tracker_set_version + 1 WHERE id = 1",
        &[],
    )?;
    Ok(())
}

fn insert_tracker(
    connection: &mut Connection,
    tracker: &TrackerDefinition,
    now: i64,
) -> Result<StoredTracker, StoreError> {
    tracker.check()?;
    let row = connection.query_one(
        "INSERT INTO trackers (name, kind, definition, version, updated_at) VALUES ($1, $2, $3, 1, $4)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, definition = excluded.definition,
             version = trackers.version + 1, updated_at = excluded.updated_at
         RETURNING version",
        &[&tracker.name, &tracker.kind.as_str(), &tracker.definition, &now],
    )?;
    let version: i64 = get(&row, 0)?;
    Ok(StoredTracker { tracker: tracker.clone(), version: version as u64, updated_at: time(now)? })
}

fn check_rows(connection: &mut Connection, call: i64, analysis: &NewAnalysis) -> Result<(), StoreError> {
    let row = connection.query_one("SELECT COUNT(*) FROM call_utterances WHERE call_id = $1", &[&call])?;
    let utterances: i64 = get(&row, 0)?;
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
        storable_value([
            ("hits.tracker", Some(hit.tracker.as_str())),
            ("hits.speaker", hit.speaker.as_deref()),
        ])?;
    }
    for (i, mention) in analysis.content_mentions.iter().enumerate() {
        if i64::from(mention.utterance) >= utterances {
            return Err(invalid(
                format!("content_mentions[{i}].utterance"),
                "the call's transcript has no such utterance",
            ));
        }
        storable_value([("content_mentions.label", Some(mention.label.as_str()))])?;
    }
    if serde_json::from_str::<serde_json::Value>(&analysis.document).is_err() {
        return Err(invalid("document".into(), "is not JSON"));
    }
    storable_value([("document", Some(analysis.document.as_str()))])
}

fn write_analysis(
    connection: &mut Connection,
    call: i64,
    analysis: &NewAnalysis,
    now: i64,
) -> Result<(), StoreError> {
    connection.execute("DELETE FROM call_tracker_hits WHERE call_id = $1", &[&call])?;
    connection.execute("DELETE FROM call_content_mentions WHERE call_id = $1", &[&call])?;
    connection.execute(
        "INSERT INTO call_analyses (call_id, document, analysis_version, tracker_set_version, analysed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (call_id) DO UPDATE SET document = excluded.document,
             analysis_version = excluded.analysis_version,
             tracker_set_version = excluded.tracker_set_version, analysed_at = excluded.analysed_at",
        &[
            &call,
            &analysis.document,
            &u32_value(analysis.analysis_version, "analysis_version")?,
            &(analysis.tracker_set_version as i64),
            &now,
        ],
    )?;
    // Set-based: one statement per table however many hits a call has.
    let mut tracker = Vec::new();
    let mut utterance = Vec::new();
    let mut time_ms = Vec::new();
    let mut side = Vec::new();
    let mut speaker = Vec::new();
    let mut score = Vec::new();
    for hit in &analysis.hits {
        tracker.push(hit.tracker.as_str());
        utterance.push(u32_value(hit.utterance, "hits.utterance")?);
        time_ms.push(hit.time_ms);
        side.push(side_code(hit.side));
        speaker.push(hit.speaker.as_deref());
        score.push(hit.score);
    }
    connection.query_batch(
        analysis.hits.len(),
        "INSERT INTO call_tracker_hits (call_id, tracker, utterance_idx, time_ms, side, speaker, score)
         SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::text[], $6::text[], $7::float8[])",
        &[&call, &tracker, &utterance, &time_ms, &side, &speaker, &score],
    )?;
    let mut content = Vec::new();
    let mut label = Vec::new();
    let mut mention_utterance = Vec::new();
    let mut mention_time = Vec::new();
    for mention in &analysis.content_mentions {
        content.push(mention.content_id.map(|c| c.0));
        label.push(mention.label.as_str());
        mention_utterance.push(u32_value(mention.utterance, "content_mentions.utterance")?);
        mention_time.push(mention.time_ms);
    }
    connection.query_batch(
        analysis.content_mentions.len(),
        "INSERT INTO call_content_mentions (call_id, content_id, label, utterance_idx, time_ms)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::int[], $5::bigint[])",
        &[&call, &content, &label, &mention_utterance, &mention_time],
    )?;
    Ok(())
}

impl AnalysisStore for PostgresStore {
    fn tracker_set(&self) -> Result<TrackerSet, StoreError> {
        let mut connection = self.pool.get()?;
        let mut snapshot =
            Transaction::begin(&mut connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let trackers = snapshot
            .query("SELECT name, kind, definition, version, updated_at FROM trackers ORDER BY name", &[])?
            .iter()
            .map(tracker_row)
            .collect::<Result<Vec<_>, _>>()?;
        let row = snapshot.query_one(
            "SELECT tracker_set_version, trackers_seeded FROM analysis_settings WHERE id = 1",
            &[],
        )?;
        let set_version: i64 = get(&row, 0)?;
        let seeded: bool = get(&row, 1)?;
        snapshot.commit()?;
        Ok(TrackerSet { trackers, set_version: set_version as u64, seeded })
    }

    fn put_tracker(&self, tracker: &TrackerDefinition, now: Timestamp) -> Result<StoredTracker, StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        // The settings row orders concurrent tracker changes, so each sees the other's version.
        transaction.execute("SELECT id FROM analysis_settings WHERE id = 1 FOR UPDATE", &[])?;
        let stored = insert_tracker(&mut transaction, tracker, millis(now))?;
        bump_tracker_set(&mut transaction)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok(stored)
    }

    fn remove_tracker(&self, name: &str, _now: Timestamp) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        transaction.execute("SELECT id FROM analysis_settings WHERE id = 1 FOR UPDATE", &[])?;
        if transaction.execute("DELETE FROM trackers WHERE name = $1", &[&name])? == 0 {
            return Err(StoreError::NotFound { what: "tracker", key: name.to_owned() });
        }
        transaction.execute("DELETE FROM call_tracker_hits WHERE tracker = $1", &[&name])?;
        bump_tracker_set(&mut transaction)?;
        revision::bump(&mut transaction)?;
        transaction.commit()
    }

    fn seed_trackers(&self, defaults: &[TrackerDefinition], now: Timestamp) -> Result<bool, StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        let row = transaction
            .query_one("SELECT trackers_seeded FROM analysis_settings WHERE id = 1 FOR UPDATE", &[])?;
        if get::<bool>(&row, 0)? {
            return Ok(false);
        }
        for tracker in defaults {
            insert_tracker(&mut transaction, tracker, millis(now))?;
        }
        transaction.execute("UPDATE analysis_settings SET trackers_seeded = TRUE WHERE id = 1", &[])?;
        bump_tracker_set(&mut transaction)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok(true)
    }

    fn analysis_settings(&self) -> Result<AnalysisSettings, StoreError> {
        let mut connection = self.pool.get()?;
        let row = connection.query_one("SELECT redact_pii FROM analysis_settings WHERE id = 1", &[])?;
        Ok(AnalysisSettings { redact_pii: get(&row, 0)? })
    }

    fn put_analysis_settings(&self, settings: &AnalysisSettings) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        transaction
            .execute("UPDATE analysis_settings SET redact_pii = $1 WHERE id = 1", &[&settings.redact_pii])?;
        revision::bump(&mut transaction)?;
        transaction.commit()
    }

    fn put_analysis(&self, call: CallId, analysis: &NewAnalysis, now: Timestamp) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        // The call's row lock makes this wait for a transcript replacement in flight, so the
        // hits are checked against the transcript they were computed from or a later one.
        if !transcripts::lock_call(&mut transaction, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        check_rows(&mut transaction, call.0, analysis)?;
        write_analysis(&mut transaction, call.0, analysis, millis(now))?;
        revision::bump(&mut transaction)?;
        transaction.commit()
    }

    fn analysis(&self, call: CallId) -> Result<Option<StoredAnalysis>, StoreError> {
        let mut connection = self.pool.get()?;
        let mut snapshot =
            Transaction::begin(&mut connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let Some(head) = snapshot.query_opt(
            "SELECT document, analysis_version, tracker_set_version, analysed_at FROM call_analyses
             WHERE call_id = $1",
            &[&call.0],
        )?
        else {
            return Ok(None);
        };
        let hits = snapshot
            .query(
                "SELECT tracker, utterance_idx, time_ms, side, speaker, score FROM call_tracker_hits
                 WHERE call_id = $1 ORDER BY utterance_idx, tracker, ctid",
                &[&call.0],
            )?
            .iter()
            .map(|row| hit_row(row, 0))
            .collect::<Result<Vec<_>, _>>()?;
        let content_mentions = snapshot
            .query(
                "SELECT content_id, label, utterance_idx, time_ms FROM call_content_mentions
                 WHERE call_id = $1 ORDER BY utterance_idx, ctid",
                &[&call.0],
            )?
            .iter()
            .map(|row| {
                Ok(ContentMentionRow {
                    content_id: get::<Option<i64>>(row, 0)?.map(ContentId),
                    label: get(row, 1)?,
                    utterance: get::<i32>(row, 2)? as u32,
                    time_ms: get(row, 3)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        snapshot.commit()?;
        Ok(Some(StoredAnalysis {
            call,
            document: get(&head, 0)?,
            analysis_version: get::<i32>(&head, 1)? as u32,
            tracker_set_version: get::<i64>(&head, 2)? as u64,
            analysed_at: time(get(&head, 3)?)?,
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
        let mut connection = self.pool.get()?;
        let rows = connection.query(
            "SELECT c.id FROM calls c LEFT JOIN call_analyses a ON a.call_id = c.id
             WHERE c.status = 'ready' AND c.id > $1
               AND (a.call_id IS NULL OR a.analysis_version < $2 OR a.tracker_set_version < $3)
             ORDER BY c.id LIMIT $4",
            &[
                &after.map_or(0, |c| c.0),
                &u32_value(analysis_version, "analysis_version")?,
                &(tracker_set_version as i64),
                &i64::from(limit),
            ],
        )?;
        let calls = rows.iter().map(|row| get(row, 0).map(CallId)).collect::<Result<Vec<_>, _>>()?;
        Ok(StaleCalls { calls })
    }

    fn analysis_facts(&self, filter: &AnalysisFilter) -> Result<Vec<CallAnalysisFacts>, StoreError> {
        let mut connection = self.pool.get()?;
        let mut snapshot =
            Transaction::begin(&mut connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let from = filter.from.map(millis);
        let to = filter.to.map(millis);
        let mut facts = Vec::new();
        snapshot.for_each_row(
            "SELECT c.id, c.title, c.started_at, c.duration_ms, c.person_id, c.account_id, c.opportunity_id,
                    c.rep_id, o.outcome, ac.industry, ac.employees, p.source, cp.name, a.document
             FROM call_analyses a JOIN calls c ON c.id = a.call_id
             LEFT JOIN opportunities o ON o.id = c.opportunity_id
             LEFT JOIN accounts ac ON ac.id = c.account_id
             LEFT JOIN people p ON p.id = c.person_id
             LEFT JOIN campaigns cp ON cp.id = p.campaign_id
             WHERE ($1::bigint IS NULL OR c.started_at >= $1) AND ($2::bigint IS NULL OR c.started_at < $2)
             ORDER BY c.started_at, c.id",
            &[&from, &to],
            |row| {
                facts.push(CallAnalysisFacts {
                    call: CallId(get(row, 0)?),
                    title: get(row, 1)?,
                    started_at: time(get(row, 2)?)?,
                    duration_ms: get(row, 3)?,
                    person: get::<Option<i64>>(row, 4)?.map(PersonId),
                    account: get::<Option<i64>>(row, 5)?.map(AccountId),
                    opportunity: get::<Option<i64>>(row, 6)?.map(OpportunityId),
                    rep: get::<Option<i64>>(row, 7)?.map(UserId),
                    outcome: get::<Option<String>>(row, 8)?.as_deref().map(outcome).transpose()?,
                    industry: get(row, 9)?,
                    employees: employees(get(row, 10)?)?,
                    source: get(row, 11)?,
                    campaign: get(row, 12)?,
                    document: get(row, 13)?,
                    hits: Vec::new(),
                });
                Ok(())
            },
        )?;
        let position: HashMap<i64, usize> = facts.iter().enumerate().map(|(i, f)| (f.call.0, i)).collect();
        snapshot.for_each_row(
            "SELECT h.call_id, h.tracker, h.utterance_idx, h.time_ms, h.side, h.speaker, h.score
             FROM call_tracker_hits h JOIN calls c ON c.id = h.call_id
             WHERE ($1::bigint IS NULL OR c.started_at >= $1) AND ($2::bigint IS NULL OR c.started_at < $2)
             ORDER BY h.call_id, h.utterance_idx, h.tracker, h.ctid",
            &[&from, &to],
            |row| {
                let call: i64 = get(row, 0)?;
                if let Some(&i) = position.get(&call) {
                    facts[i].hits.push(hit_row(row, 1)?);
                }
                Ok(())
            },
        )?;
        snapshot.commit()?;
        Ok(facts)
    }

    fn search_utterances(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let mut connection = self.pool.get()?;
        crate::search::search_utterances(&mut connection, query)
    }
}
