"""The funnel report's core aggregation in DuckDB over the same data exported to CSV.

Reads a Rapport SQLite workspace, exports the rows the funnel report reads (people with their
attributes, stage events, sales-activity touches, opportunities) to CSV once, loads the CSVs
into DuckDB (timed apart), then times the aggregation: MQL handoffs with their accept / reject /
pending outcome and acceptance rate by source, rejection reasons, people reaching each stage,
the SLA check against the first sales response, open pipeline and won revenue. The figures are
printed so they can be compared with Rapport's JSON report.

    python3 bench/funnel_duckdb.py WORKSPACE_DB OUT_DIR FROM_MS TO_MS SLA_HOURS RUNS
"""

import csv
import json
import os
import sqlite3
import sys
import time

import duckdb

EXPORTS = {
    "people": """SELECT p.id, p.source, p.created_at FROM people p""",
    "events": """SELECT id, person_id, to_stage, at AS ts, reason, owner_id FROM stage_events""",
    "sales": """SELECT person_id, occurred_at AS ts FROM touches WHERE kind = 'sales_activity'""",
    "deals": """SELECT id, amount_cents, currency, created_at, close_date, outcome FROM opportunities""",
}

AGGREGATION = """
WITH ordered AS (
    SELECT *, CASE WHEN to_stage = 'mql'
                    AND COALESCE(LAG(to_stage) OVER w, '') <> 'mql' THEN 1 ELSE 0 END AS starts
    FROM events WINDOW w AS (PARTITION BY person_id ORDER BY ts, id)
), grouped AS (
    SELECT *, SUM(starts) OVER (PARTITION BY person_id ORDER BY ts, id ROWS UNBOUNDED PRECEDING) AS handoff
    FROM ordered
), handoffs AS (
    SELECT person_id, handoff,
           MIN(ts) FILTER (WHERE starts = 1) AS handed_at,
           arg_min(to_stage, ts * 1000000 + id) FILTER (WHERE starts = 0 AND to_stage IN
               ('sal', 'sql', 'opportunity', 'customer', 'rejected')) AS decision,
           arg_min(reason, ts * 1000000 + id) FILTER (WHERE starts = 0 AND to_stage IN
               ('sal', 'sql', 'opportunity', 'customer', 'rejected')) AS reason
    FROM grouped WHERE handoff > 0 GROUP BY person_id, handoff
), in_period AS (
    SELECT h.*, p.source FROM handoffs h JOIN people p ON p.id = h.person_id
    WHERE handed_at >= $from AND handed_at < $to
), by_source AS (
    SELECT source, COUNT(*) AS mql,
           COUNT(*) FILTER (WHERE decision IS NOT NULL AND decision <> 'rejected') AS accepted,
           COUNT(*) FILTER (WHERE decision = 'rejected') AS rejected,
           COUNT(*) FILTER (WHERE decision IS NULL) AS pending
    FROM in_period GROUP BY ROLLUP (source)
), reasons AS (
    SELECT reason, COUNT(*) AS count FROM in_period WHERE decision = 'rejected' GROUP BY reason
), stages AS (
    SELECT to_stage, COUNT(DISTINCT person_id) AS reached FROM events
    WHERE ts >= $from AND ts < $to GROUP BY to_stage
), owned AS (
    SELECT e.id, e.person_id, e.ts FROM events e
    WHERE e.to_stage = 'mql' AND e.owner_id IS NOT NULL AND e.ts >= $from AND e.ts < $to
), touch_response AS (
    SELECT o.id, MIN(s.ts) AS ts FROM owned o JOIN sales s ON s.person_id = o.person_id AND s.ts >= o.ts
    GROUP BY o.id
), event_response AS (
    SELECT o.id, MIN(e.ts) AS ts FROM owned o JOIN events e ON e.person_id = o.person_id
        AND (e.ts > o.ts OR (e.ts = o.ts AND e.id > o.id)) AND e.to_stage IN ('sal', 'rejected', 'recycled')
    GROUP BY o.id
), sla AS (
    SELECT COUNT(*) AS handoffs,
           COUNT(*) FILTER (WHERE LEAST(COALESCE(t.ts, 9e18), COALESCE(r.ts, 9e18)) - o.ts > $sla) AS breached
    FROM owned o LEFT JOIN touch_response t ON t.id = o.id LEFT JOIN event_response r ON r.id = o.id
), money AS (
    SELECT SUM(amount_cents) FILTER (WHERE outcome = 'open' AND created_at >= $from AND created_at < $to) AS pipeline,
           SUM(amount_cents) FILTER (WHERE outcome = 'won' AND COALESCE(close_date, created_at) >= $from
                                     AND COALESCE(close_date, created_at) < $to) AS won
    FROM deals
)
SELECT json_object(
    'by_source', (SELECT json_group_array(json_object('source', source, 'mql', mql, 'accepted', accepted,
                                                      'rejected', rejected, 'pending', pending)) FROM by_source),
    'reasons', (SELECT json_group_object(COALESCE(reason, ''), count) FROM reasons),
    'stages', (SELECT json_group_object(to_stage, reached) FROM stages),
    'sla', (SELECT json_object('handoffs', handoffs, 'breached', breached) FROM sla),
    'pipeline', (SELECT pipeline FROM money), 'won', (SELECT won FROM money)
)
"""


def export(db_path, out_dir):
    source = sqlite3.connect(db_path)
    for name, sql in EXPORTS.items():
        path = os.path.join(out_dir, f"{name}.csv")
        if os.path.exists(path):
            continue
        cursor = source.execute(sql)
        with open(path + ".partial", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([d[0] for d in cursor.description])
            writer.writerows(cursor)
        os.rename(path + ".partial", path)


def main():
    db_path, out_dir, from_ms, to_ms, sla_hours, runs = sys.argv[1:7]
    os.makedirs(out_dir, exist_ok=True)
    export(db_path, out_dir)
    con = duckdb.connect()
    started = time.perf_counter()
    for name in EXPORTS:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{os.path.join(out_dir, name + '.csv')}')")
    load_s = time.perf_counter() - started
    params = {"from": int(from_ms), "to": int(to_ms), "sla": int(sla_hours) * 3_600_000}
    timings = []
    result = None
    for _ in range(int(runs)):
        started = time.perf_counter()
        result = con.execute(AGGREGATION, params).fetchone()[0]
        timings.append(time.perf_counter() - started)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    print(json.dumps({"load_s": load_s, "p50_s": timings[len(timings) // 2], "p95_s": p95,
                      "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
                      "figures": json.loads(result)}))


if __name__ == "__main__":
    main()
