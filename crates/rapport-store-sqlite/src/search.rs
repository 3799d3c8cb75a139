//! Transcript search on the FTS5 index (`utterance_search`, whose rowid packs
//! `call_id << 20 | idx`, kept in sync with `call_utterances` by triggers; migration 0005).
//!
//! A search reads matches newest first (rowid descending, which FTS5 walks without sorting),
//! keeps the first `rank_window` that pass the filters, and ranks only those with bm25
//! (`rapport_store::analysis::RANK_WINDOW` says why). Snippets are cut last, for the few rows
//! returned: `snippet()` re-reads the row's text, so it must not run over the whole window.
//!
//! A date filter also bounds the rowids: the calls in the period (found on `calls_by_started`)
//! span a range of call ids, and FTS5 seeks straight to that range instead of walking every
//! newer match down to it. Calls are numbered as they are stored, so the range is tight when
//! they arrive roughly in date order and merely loose (never wrong: the filter still applies)
//! when an old call is imported late.

use rapport_domain::CallId;
use rusqlite::Connection;

use rapport_store::analysis::{split_snippet, CallSide, SearchHit, SearchQuery, SearchTerm};
use rapport_store::StoreError;

use crate::convert::{millis, time, OrDatabaseError};
use crate::reads::for_each_row;

/// The FTS5 query for the terms: each term a quoted phrase, all of them required.
pub(crate) fn fts5_query(terms: &[SearchTerm]) -> String {
    terms.iter().map(|term| format!("\"{}\"", term.words.join(" "))).collect::<Vec<_>>().join(" ")
}

/// The smallest and largest call id a search can match: every call without a date filter,
/// else the calls of the period (with the query's rep and account); `None` when no call does.
fn call_id_bounds(connection: &Connection, query: &SearchQuery) -> Result<Option<(i64, i64)>, StoreError> {
    if query.from.is_none() && query.to.is_none() {
        // Ids are positive and below 2^43, so the packed rowid stays within i64.
        return Ok(Some((0, (1 << 43) - 1)));
    }
    let rep = query.rep.or(query.visible_to_rep).map(|u| u.0);
    // Plain range conditions (no `?1 IS NULL OR`), so the planner seeks on calls_by_started.
    let sql = "SELECT MIN(id), MAX(id) FROM calls
               WHERE started_at >= ?1 AND started_at < ?2
                 AND (?3 IS NULL OR rep_id = ?3) AND (?4 IS NULL OR account_id = ?4)";
    let mut bounds = None;
    let from = query.from.map_or(i64::MIN, millis);
    let to = query.to.map_or(i64::MAX, millis);
    for_each_row(connection, sql, &[&from, &to, &rep, &query.account.map(|a| a.0)], |row| {
        let (first, last): (Option<i64>, Option<i64>) = (row.get(0).or_db()?, row.get(1).or_db()?);
        bounds = first.zip(last);
        Ok(())
    })?;
    Ok(bounds)
}

pub(crate) fn search_utterances(
    connection: &Connection,
    query: &SearchQuery,
) -> Result<Vec<SearchHit>, StoreError> {
    query.check()?;
    let side = query.side.map(CallSide::as_str);
    let matched = fts5_query(&query.terms);
    let Some((first_call, last_call)) = call_id_bounds(connection, query)? else {
        return Ok(Vec::new());
    };
    let mut best: Vec<i64> = Vec::new();
    for_each_row(
        connection,
        "SELECT w.id FROM (
             SELECT s.rowid AS id, s.rank AS rank
             FROM utterance_search s
             JOIN call_utterances u ON u.call_id = (s.rowid >> 20) AND u.idx = (s.rowid & 1048575)
             JOIN calls c ON c.id = u.call_id
             LEFT JOIN opportunities o ON o.id = c.opportunity_id
             WHERE utterance_search MATCH ?1
               AND (?2 IS NULL OR c.rep_id = ?2)
               AND (?3 IS NULL OR c.account_id = ?3)
               AND (?4 IS NULL OR c.started_at >= ?4)
               AND (?5 IS NULL OR c.started_at < ?5)
               AND (?6 IS NULL OR EXISTS (SELECT 1 FROM call_tracker_hits h
                                          WHERE h.call_id = c.id AND h.tracker = ?6))
               AND (?7 IS NULL OR (CASE WHEN u.role = 'rep' THEN 'rep' ELSE 'customer' END) = ?7)
               AND (?8 IS NULL OR COALESCE(o.outcome, 'open') = ?8)
               AND (?9 IS NULL OR c.rep_id = ?9)
               AND s.rowid BETWEEN ?12 AND ?13
             ORDER BY s.rowid DESC
             LIMIT ?11
         ) w
         ORDER BY w.rank, w.id
         LIMIT ?10",
        &[
            &matched,
            &query.rep.map(|u| u.0),
            &query.account.map(|a| a.0),
            &query.from.map(millis),
            &query.to.map(millis),
            &query.tracker,
            &side,
            &query.outcome.map(|o| o.as_str()),
            &query.visible_to_rep.map(|u| u.0),
            &query.limit,
            &query.rank_window,
            &(first_call << 20),
            &((last_call << 20) | 1_048_575),
        ],
        |row| {
            best.push(row.get(0).or_db()?);
            Ok(())
        },
    )?;
    let mut hits = Vec::with_capacity(best.len());
    for id in best {
        for_each_row(
            connection,
            "SELECT u.call_id, u.idx, snippet(utterance_search, 0, char(57344), char(57345), '…', 16),
                    c.title, c.started_at, u.speaker, u.role, u.start_ms
             FROM utterance_search s
             JOIN call_utterances u ON u.call_id = (s.rowid >> 20) AND u.idx = (s.rowid & 1048575)
             JOIN calls c ON c.id = u.call_id
             WHERE utterance_search MATCH ?1 AND s.rowid = ?2",
            &[&matched, &id],
            |row| {
                let (snippet, highlights) = split_snippet(&row.get::<_, String>(2).or_db()?);
                let role: String = row.get(6).or_db()?;
                hits.push(SearchHit {
                    call: CallId(row.get(0).or_db()?),
                    utterance: row.get(1).or_db()?,
                    snippet,
                    highlights,
                    call_title: row.get(3).or_db()?,
                    call_started_at: time(row.get(4).or_db()?)?,
                    speaker: row.get(5).or_db()?,
                    side: CallSide::of_role(&role),
                    start_ms: row.get(7).or_db()?,
                });
                Ok(())
            },
        )?;
    }
    Ok(hits)
}
