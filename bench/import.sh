#!/usr/bin/env bash
# Import throughput: people and touches rows/s on SQLite and PostgreSQL, with ratios against
# the 200k rows/s target and against each database's own bulk loader reading the same CSV into
# a bare table (sqlite3 `.import`, PostgreSQL `\copy`) — the floor any importer that validates,
# resolves references and upserts idempotently pays on top of.
#
#   ./bench/import.sh [small|medium]     (default small: 50k people, 500k touches)
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-small}"
out="bench/out/import-$scale"
pg_url="${RAPPORT_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
command -v sqlite3 >/dev/null || { echo "bench: installing sqlite3" >&2; apt-get install -y -qq sqlite3 >/dev/null; }
cargo build --release --locked -p rapport-cli >&2
rapport=./target/release/rapport

mkdir -p "$out"
if [[ ! -f "$out/touches.csv" ]]; then
    rm -rf "$out/source"
    echo "bench: generating the $scale demo to export" >&2
    "$rapport" --data-dir "$out/source" demo --scale "$scale" --seed 7 --anchor 2026-06-30 --no-serve >/dev/null
    for kind in accounts campaigns content people touches; do
        "$rapport" --data-dir "$out/source" export "$kind" "$out/$kind.csv"
    done
    "$rapport" --data-dir "$out/source" users list --json >"$out/users.json"
fi

# Seeds a fresh workspace with what people and touches refer to (users, accounts, campaigns, content).
prepare() {
    local args=("$@")
    python3 - "$out/users.json" <<'PY' | while read -r email role; do "$rapport" "${args[@]}" users add "$email" --role "$role" >/dev/null; done
import json, sys
for user in json.load(open(sys.argv[1])):
    print(user["email"], user["role"])
PY
    for kind in accounts campaigns content; do
        "$rapport" "${args[@]}" import "$kind" "$out/$kind.csv" --json >/dev/null
    done
}

rows() { echo $(( $(wc -l <"$1") - 1 )); }

# Prints "seconds" for one timed command.
timed() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}

report() { # backend kind rows seconds floor_seconds
    python3 - "$@" <<'PY'
import sys
backend, kind, rows, seconds, floor = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
rate = rows / seconds
floor_rate = rows / floor
print(f"{backend:<9} {kind:<8} {rows:>9} rows  {seconds:7.2f} s  {rate:>10,.0f} rows/s  "
      f"target 200k: x{rate / 200_000:.2f}  bulk loader {floor_rate:,.0f} rows/s: x{rate / floor_rate:.2f}")
PY
}

echo "import benchmark ($scale): $(rows "$out/people.csv") people, $(rows "$out/touches.csv") touches"

# SQLite
db="$out/sqlite"
rm -rf "$db"
prepare --data-dir "$db"
for kind in people touches; do
    seconds=$(timed "$rapport" --data-dir "$db" import "$kind" "$out/$kind.csv" --json)
    rm -f "$out/floor.db"
    floor=$(timed sqlite3 "$out/floor.db" ".mode csv" ".import $out/$kind.csv bare")
    report sqlite "$kind" "$(rows "$out/$kind.csv")" "$seconds" "$floor"
    again=$(timed "$rapport" --data-dir "$db" import "$kind" "$out/$kind.csv" --json)
    report sqlite "$kind(re)" "$(rows "$out/$kind.csv")" "$again" "$floor"
done

# PostgreSQL, in a schema of its own
schema="rapport_bench_$$"
psql -q "$pg_url" -c "CREATE SCHEMA $schema" >/dev/null
trap 'psql -q "$pg_url" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true' EXIT
pg="$pg_url?options=-csearch_path%3D$schema"
prepare --database-url "$pg"
for kind in people touches; do
    seconds=$(timed "$rapport" --database-url "$pg" import "$kind" "$out/$kind.csv" --json)
    header=$(head -1 "$out/$kind.csv" | python3 -c "import sys,csv; print(', '.join(f'\"c{i}\" text' for i,_ in enumerate(next(csv.reader(sys.stdin)))))")
    psql -q "$pg" -c "DROP TABLE IF EXISTS bare; CREATE TABLE bare ($header)" >/dev/null
    floor=$(timed psql -q "$pg" -c "\\copy bare FROM '$out/$kind.csv' WITH (FORMAT csv, HEADER true)")
    report postgres "$kind" "$(rows "$out/$kind.csv")" "$seconds" "$floor"
    again=$(timed "$rapport" --database-url "$pg" import "$kind" "$out/$kind.csv" --json)
    report postgres "$kind(re)" "$(rows "$out/$kind.csv")" "$again" "$floor"
done
