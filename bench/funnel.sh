#!/usr/bin/env bash
# Funnel report latency at a demo scale (default large: 1M people, 20M touches) on SQLite:
# p50/p95 of GET /api/reports/funnel against a running `rapport serve`, next to DuckDB running
# the same aggregation over the same rows exported to CSV; prints the ratio and checks that both
# give the same headline figures.
#
#   ./bench/funnel.sh [tiny|small|medium|large] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-large}"
runs="${2:-20}"
out="bench/out/funnel-$scale"
from="2025-07-01"
to="2026-07-01"
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb >&2
cargo build --release --locked -p rapport-cli >&2
rapport=./target/release/rapport
if [[ ! -f "$out/done" ]]; then
    rm -rf "$out"
    echo "bench: generating the $scale demo (once; kept in $out)" >&2
    "$rapport" --data-dir "$out" demo --scale "$scale" --seed 7 --anchor 2026-06-30 --no-serve >/dev/null
    touch "$out/done"
fi
token=$("$rapport" --data-dir "$out" tokens create --user demo.admin@demo.rapport.example --name bench 2>/dev/null)
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
RAPPORT_LOG=warn "$rapport" --data-dir "$out" serve --bind "127.0.0.1:$port" 2>"$out/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "$port" "$token" "$from" "$to" "$runs" "$out" <<'PY'
import json, subprocess, sys, time, urllib.request
from datetime import datetime, timezone
port, token, start, end, runs, out = sys.argv[1:7]
url = f"http://127.0.0.1:{port}/api/reports/funnel?from={start}&to={end}"
def get():
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)
started = time.perf_counter(); report = get(); first = time.perf_counter() - started
timings = []
for _ in range(int(runs)):
    started = time.perf_counter(); report = get(); timings.append(time.perf_counter() - started)
timings.sort()
# One write (a new reason code) moves the store's revision: the next report reloads the facts.
write = urllib.request.Request(f"http://127.0.0.1:{port}/api/reasons", method="POST",
    data=json.dumps({"code": f"bench_{int(time.time())}", "label": "Benchmark"}).encode(),
    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
urllib.request.urlopen(write).read()
started = time.perf_counter(); get(); after_write = time.perf_counter() - started
p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
p50 = timings[len(timings) // 2]
ms = lambda d: int(datetime.fromisoformat(d).replace(tzinfo=timezone.utc).timestamp() * 1000)
duck = json.loads(subprocess.check_output(
    ["python3", "bench/funnel_duckdb.py", f"{out}/rapport.db", f"{out}/csv", str(ms(start)), str(ms(end)), "24", runs]))
total = next(row for row in duck["figures"]["by_source"] if row["source"] is None)
same = all(report[k] == total[k] for k in ("mql", "accepted", "rejected", "pending")) \
    and report["sla"]["breached"] == duck["figures"]["sla"]["breached"] \
    and report["won_revenue"]["total"].get("USD") == duck["figures"]["won"]
print(f"funnel report, {report['mql']} MQLs in {start}..{end}, {runs} runs after one warm-up ({first * 1000:.0f} ms)")
print(f"  rapport (SQLite, HTTP API)    p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   target 200 ms: x{0.2 / p95:.2f}"
      f"   (first after a write, reloading the facts: {after_write * 1000:.0f} ms)")
print(f"  duckdb {duck['threads']} threads (in memory)   p50 {duck['p50_s'] * 1000:7.1f} ms   p95 {duck['p95_s'] * 1000:7.1f} ms"
      f"   (+ {duck['load_s']:.1f} s to load the CSVs)")
print(f"  ratio rapport p95 / duckdb p95: {p95 / duck['p95_s']:.2f}   same headline figures: {same}")
if not same:
    print("  rapport:", {k: report[k] for k in ("mql", "accepted", "rejected", "pending")}, report["sla"], report["won_revenue"]["total"])
    print("  duckdb: ", total, duck["figures"]["sla"], duck["figures"]["won"])
PY
