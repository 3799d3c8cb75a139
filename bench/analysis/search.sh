#!/usr/bin/env bash
# Transcript search latency at scale: loads N utterances (default 10M) of generated sales-call
# sentences into SQLite (FTS5) and PostgreSQL (tsvector + GIN) through the real write path,
# then prints p50/p95 over a fixed set of queries, without and with filters (rep, a 30-day
# window, customer side + won deals).
#
#   ./bench/analysis/search.sh [UTTERANCES] [RUNS]     (default 10000000 20)
#
# PostgreSQL: RAPPORT_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test), in a
# throw-away schema. SQLite: a temporary file (RAPPORT_BENCH_DIR to put it on another disk).
set -euo pipefail
cd "$(dirname "$0")/../.."
utterances="${1:-10000000}"
runs="${2:-20}"
cargo build --release --locked -p rapport-store-postgres --example search_latency >&2
"${CARGO_TARGET_DIR:-target}/release/examples/search_latency" "$utterances" "$runs"
