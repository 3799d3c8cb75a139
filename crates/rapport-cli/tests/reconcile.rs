//! Every headline figure of `rapport report funnel --json` recomputed from the raw rows of the
//! SQLite file with plain SQL, written separately from the report's Rust code (different
//! structure, different language), on a generated demo workspace.
//!
//! The definitions are those documented in `rapport_funnel`'s crate docs.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use rusqlite::Connection;
use serde_json::Value;

const FROM: &str = "2025-01-01";
const TO: &str = "2025-10-01";
const SLA_HOURS: i64 = 24;

fn millis(date: &str) -> i64 {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    day.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis()
}

fn rapport(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("rapport").unwrap();
    command.arg("--data-dir").arg(dir).env_remove("RAPPORT_DATABASE_URL").env("RAPPORT_LOG", "warn");
    command.env("RAPPORT_SLA_HOURS", SLA_HOURS.to_string());
    command
}

fn funnel_json(dir: &Path, extra: &[&str]) -> Value {
    let output = rapport(dir)
        .args(["report", "funnel", "--from", FROM, "--to", TO, "--json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Handoffs (events to `mql` not preceded by `mql`) with their deciding event, as SQL.
const HANDOFFS: &str = "
WITH ordered AS (
    SELECT id, person_id, to_stage, at, reason,
           LAG(to_stage) OVER (PARTITION BY person_id ORDER BY at, id) AS previous
    FROM stage_events
), handoffs AS (
    SELECT id, person_id, at,
           LEAD(at) OVER (PARTITION BY person_id ORDER BY at, id) AS next_at,
           LEAD(id) OVER (PARTITION BY person_id ORDER BY at, id) AS next_id
    FROM ordered WHERE to_stage = 'mql' AND (previous IS NULL OR previous <> 'mql')
)
SELECT h.id, h.person_id, h.at, p.source,
       (SELECT d.to_stage FROM stage_events d
         WHERE d.person_id = h.person_id AND (d.at > h.at OR (d.at = h.at AND d.id > h.id))
           AND (h.next_id IS NULL OR d.at < h.next_at OR (d.at = h.next_at AND d.id < h.next_id))
           AND d.to_stage IN ('sal', 'sql', 'opportunity', 'customer', 'rejected')
         ORDER BY d.at, d.id LIMIT 1) AS decision,
       (SELECT d.reason FROM stage_events d
         WHERE d.person_id = h.person_id AND (d.at > h.at OR (d.at = h.at AND d.id > h.id))
           AND (h.next_id IS NULL OR d.at < h.next_at OR (d.at = h.next_at AND d.id < h.next_id))
           AND d.to_stage IN ('sal', 'sql', 'opportunity', 'customer', 'rejected')
         ORDER BY d.at, d.id LIMIT 1) AS reason
FROM handoffs h JOIN people p ON p.id = h.person_id
WHERE h.at >= ?1 AND h.at < ?2";

#[derive(Default, Debug, PartialEq)]
struct Decisions {
    mql: u64,
    accepted: u64,
    rejected: u64,
    pending: u64,
}

fn decisions(
    db: &Connection,
    from: i64,
    to: i64,
) -> (Decisions, BTreeMap<String, Decisions>, BTreeMap<String, u64>) {
    let mut total = Decisions::default();
    let mut by_source: BTreeMap<String, Decisions> = BTreeMap::new();
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut statement = db.prepare(HANDOFFS).unwrap();
    let mut rows = statement.query([from, to]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        let source: Option<String> = row.get(3).unwrap();
        let decision: Option<String> = row.get(4).unwrap();
        let reason: Option<String> = row.get(5).unwrap();
        let group = by_source.entry(source.unwrap_or_default()).or_default();
        for counts in [&mut total, group] {
            counts.mql += 1;
            match decision.as_deref() {
                None => counts.pending += 1,
                Some("rejected") => counts.rejected += 1,
                Some(_) => counts.accepted += 1,
            }
        }
        if decision.as_deref() == Some("rejected") {
            *reasons.entry(reason.unwrap_or_default()).or_default() += 1;
        }
    }
    (total, by_source, reasons)
}

fn scalar(db: &Connection, sql: &str, from: i64, to: i64) -> i64 {
    db.query_row(sql, [from, to], |row| row.get::<_, Option<i64>>(0)).unwrap().unwrap_or(0)
}

fn as_u64(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("not a count: {value}"))
}

#[test]
fn funnel_figures_reconcile_with_sql_over_the_raw_rows() {
    let dir = tempfile::tempdir().unwrap();
    let output = rapport(dir.path())
        .args(["demo", "--scale", "tiny", "--seed", "11", "--anchor", "2025-09-30", "--no-serve"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let db = Connection::open(dir.path().join("rapport.db")).unwrap();
    let (from, to) = (millis(FROM), millis(TO));

    let report = funnel_json(dir.path(), &["--by", "source"]);
    let (expected, by_source, reasons) = decisions(&db, from, to);
    assert!(expected.mql > 20 && expected.rejected > 5, "the demo should hand over leads: {expected:?}");
    let actual = Decisions {
        mql: as_u64(&report["mql"]),
        accepted: as_u64(&report["accepted"]),
        rejected: as_u64(&report["rejected"]),
        pending: as_u64(&report["pending"]),
    };
    assert_eq!(actual, expected);
    let rate = expected.accepted as f64 / (expected.accepted + expected.rejected) as f64;
    assert!((report["mql_acceptance_rate"].as_f64().unwrap() - rate).abs() < 1e-12);

    // Rejection reasons.
    let actual: BTreeMap<String, u64> = report["rejection_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap_or_default().to_owned(), as_u64(&r["count"])))
        .collect();
    assert_eq!(actual, reasons);

    // The same figures per source.
    let groups: BTreeMap<String, Decisions> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let counts = Decisions {
                mql: as_u64(&g["mql"]),
                accepted: as_u64(&g["accepted"]),
                rejected: as_u64(&g["rejected"]),
                pending: as_u64(&g["pending"]),
            };
            (g["key"].as_str().unwrap_or_default().to_owned(), counts)
        })
        .filter(|(_, counts)| counts.mql > 0)
        .collect();
    assert_eq!(groups, by_source);

    // Distinct people reaching each stage in the period.
    for stage in report["stages"].as_array().unwrap() {
        let name = stage["stage"].as_str().unwrap();
        let sql = format!(
            "SELECT COUNT(DISTINCT person_id) FROM stage_events WHERE to_stage = '{name}' AND at >= ?1 AND at < ?2"
        );
        assert_eq!(as_u64(&stage["reached"]) as i64, scalar(&db, &sql, from, to), "stage {name}");
    }

    // Open pipeline created in the period and revenue won in it (the demo is all USD).
    let pipeline = scalar(
        &db,
        "SELECT SUM(amount_cents) FROM opportunities WHERE outcome = 'open' AND created_at >= ?1 AND created_at < ?2",
        from,
        to,
    );
    assert_eq!(report["pipeline"]["total"]["USD"].as_i64().unwrap_or(0), pipeline);
    let won = scalar(
        &db,
        "SELECT SUM(amount_cents) FROM opportunities WHERE outcome = 'won'
           AND COALESCE(close_date, created_at) >= ?1 AND COALESCE(close_date, created_at) < ?2",
        from,
        to,
    );
    assert!(won > 0, "the demo should win deals in the period");
    assert_eq!(report["won_revenue"]["total"]["USD"].as_i64(), Some(won));

    // SLA: every owned handoff in the period against the first response after it. The demo's
    // history ends months before now, so no handoff is still within its deadline.
    let sla_sql = format!(
        "WITH handoffs AS (
            SELECT e.id, e.person_id, e.at FROM stage_events e
            WHERE e.to_stage = 'mql' AND e.owner_id IS NOT NULL AND e.at >= ?1 AND e.at < ?2
        ), responses AS (
            SELECT h.id, h.at,
                   MIN(
                     COALESCE((SELECT MIN(t.occurred_at) FROM touches t WHERE t.person_id = h.person_id
                                 AND t.kind = 'sales_activity' AND t.occurred_at >= h.at), 9e18),
                     COALESCE((SELECT MIN(d.at) FROM stage_events d WHERE d.person_id = h.person_id
                                 AND (d.at > h.at OR (d.at = h.at AND d.id > h.id))
                                 AND d.to_stage IN ('sal', 'rejected', 'recycled')), 9e18)
                   ) AS first_response
            FROM handoffs h
        )
        SELECT SUM(first_response - at > {sla}) FROM responses",
        sla = SLA_HOURS * 3_600_000
    );
    let breached = scalar(&db, &sla_sql, from, to);
    let handoffs = scalar(
        &db,
        "SELECT COUNT(*) FROM stage_events WHERE to_stage = 'mql' AND owner_id IS NOT NULL AND at >= ?1 AND at < ?2",
        from,
        to,
    );
    assert_eq!(as_u64(&report["sla"]["handoffs"]) as i64, handoffs);
    assert_eq!(as_u64(&report["sla"]["breached"]) as i64, breached);
    assert!(breached > 0, "the demo has slow reps");

    // Monthly cohorts: people by the month of their first handoff in the period.
    let cohort_sql = "
        WITH ordered AS (
            SELECT person_id, to_stage, at,
                   LAG(to_stage) OVER (PARTITION BY person_id ORDER BY at, id) AS previous
            FROM stage_events
        ), first_handoff AS (
            SELECT person_id, MIN(at) AS at FROM ordered
            WHERE to_stage = 'mql' AND (previous IS NULL OR previous <> 'mql') AND at >= ?1 AND at < ?2
            GROUP BY person_id
        )
        SELECT strftime('%Y-%m', f.at / 1000, 'unixepoch') AS month, COUNT(*),
               SUM(EXISTS (SELECT 1 FROM stage_events d WHERE d.person_id = f.person_id AND d.at >= f.at
                           AND d.to_stage IN ('sal', 'sql', 'opportunity', 'customer')))
        FROM first_handoff f GROUP BY month ORDER BY month";
    let mut statement = db.prepare(cohort_sql).unwrap();
    let expected: Vec<(String, u64, u64)> = statement
        .query_map([from, to], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let actual: Vec<(String, u64, u64)> = report["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["month"].as_str().unwrap().to_owned(), as_u64(&c["mql"]), as_u64(&c["sal"])))
        .collect();
    assert_eq!(actual, expected);

    // A filtered report is the matching group of the grouped one.
    let filtered = funnel_json(dir.path(), &["--source", "partner"]);
    let partner = &by_source["partner"];
    assert_eq!(as_u64(&filtered["mql"]), partner.mql);
    assert_eq!(as_u64(&filtered["rejected"]), partner.rejected);
}
