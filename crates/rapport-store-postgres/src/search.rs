//! Transcript search on the generated `tsvector` column of `call_utterances` and its GIN
//! index (migration 0005).
//!
//! A search takes the newest `rank_window` matches that pass the filters (call id and
//! position descending), ranks only those with `ts_rank`, and builds headlines for the rows
//! returned (`rapport_store::analysis::RANK_WINDOW` says why). `ts_rank` and `ts_headline`
//! both re-read the row's text, which is what made ranking every match of a common word take
//! tens of seconds at ten million utterances.
//!
//! The query is planned with its parameters each time: how common the words are decides
//! between walking the primary key backwards (a common word: the window fills in a few
//! thousand rows) and the GIN index (a rare one). The side and outcome filters are written so
//! that, with their values in place, they fold to plain column comparisons the planner has
//! statistics for (`u.role <> 'rep'`, `o.outcome = 'won'`): as `CASE`/`COALESCE` expressions
//! it guessed them rare, scanned every won call's utterances and took 9 s instead of 15 ms.

use postgres::Row;
use rapport_domain::CallId;

use rapport_store::analysis::{
    split_snippet, CallSide, SearchHit, SearchQuery, SearchTerm, HIGHLIGHT_END, HIGHLIGHT_START,
};
use rapport_store::StoreError;

use crate::connection::Connection;
use crate::convert::{get, millis, time};

/// The `tsquery` for `terms`: each word a quoted lexeme (words hold only letters and digits,
/// so nothing in them is `tsquery` syntax), a phrase's words joined by `<->`, terms by `&`.
pub(crate) fn tsquery(terms: &[SearchTerm]) -> String {
    terms
        .iter()
        .map(|term| {
            let words: Vec<String> = term.words.iter().map(|w| format!("'{w}'")).collect();
            format!("({})", words.join(" <-> "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

pub(crate) fn search_utterances(
    connection: &mut Connection,
    query: &SearchQuery,
) -> Result<Vec<SearchHit>, StoreError> {
    query.check()?;
    let side = query.side.map(CallSide::as_str);
    let options = format!(
        "StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=24, MinWords=8, ShortWord=2, \
         MaxFragments=2, FragmentDelimiter=\" … \""
    );
    let rows = connection.query_planned_each_time(
        "SELECT m.call_id, m.idx,
                ts_headline('english'::regconfig, translate(u.text, U&'<>\\E000\\E001', '  '),
                            to_tsquery('english'::regconfig, $1), $11),
                c.title, c.started_at, u.speaker, u.role, u.start_ms
         FROM (
             SELECT w.call_id, w.idx, ts_rank(u.search, to_tsquery('english'::regconfig, $1)) AS rank
             FROM (
                 SELECT u.call_id, u.idx
                 FROM call_utterances u
                 JOIN calls c ON c.id = u.call_id
                 LEFT JOIN opportunities o ON o.id = c.opportunity_id
                 WHERE u.search @@ to_tsquery('english'::regconfig, $1)
                   AND ($2::bigint IS NULL OR c.rep_id = $2)
                   AND ($3::bigint IS NULL OR c.account_id = $3)
                   AND ($4::bigint IS NULL OR c.started_at >= $4)
                   AND ($5::bigint IS NULL OR c.started_at < $5)
                   AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM call_tracker_hits h
                                                    WHERE h.call_id = c.id AND h.tracker = $6))
                   AND ($7::text IS NULL OR ($7 = 'rep' AND u.role = 'rep')
                        OR ($7 = 'customer' AND u.role <> 'rep'))
                   AND ($8::text IS NULL OR o.outcome = $8 OR ($8 = 'open' AND o.outcome IS NULL))
                   AND ($9::bigint IS NULL OR c.rep_id = $9)
                 ORDER BY u.call_id DESC, u.idx DESC
                 LIMIT $12
             ) w
             JOIN call_utterances u ON u.call_id = w.call_id AND u.idx = w.idx
             ORDER BY rank DESC, w.call_id, w.idx
             LIMIT $10
         ) m
         JOIN call_utterances u ON u.call_id = m.call_id AND u.idx = m.idx
         JOIN calls c ON c.id = m.call_id
         ORDER BY m.rank DESC, m.call_id, m.idx",
        &[
            &tsquery(&query.terms),
            &query.rep.map(|u| u.0),
            &query.account.map(|a| a.0),
            &query.from.map(millis),
            &query.to.map(millis),
            &query.tracker,
            &side,
            &query.outcome.map(|o| o.as_str()),
            &query.visible_to_rep.map(|u| u.0),
            &i64::from(query.limit),
            &options,
            &i64::from(query.rank_window),
        ],
    )?;
    rows.iter().map(hit).collect()
}

fn hit(row: &Row) -> Result<SearchHit, StoreError> {
    let (snippet, highlights) = split_snippet(&get::<String>(row, 2)?);
    let role: String = get(row, 6)?;
    Ok(SearchHit {
        call: CallId(get(row, 0)?),
        utterance: get::<i32>(row, 1)? as u32,
        snippet,
        highlights,
        call_title: get(row, 3)?,
        call_started_at: time(get(row, 4)?)?,
        speaker: get(row, 5)?,
        side: CallSide::of_role(&role),
        start_ms: get(row, 7)?,
    })
}
