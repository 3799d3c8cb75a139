#!/usr/bin/env bash
# Conversation analysis throughput, one core. Prints figures and ratios against the targets
# of issue 4:
#   1. keyword trackers + stats: one-hour calls per second with 200 trackers (target
#      ≥ 1,000/s/core) and with 1 tracker (the ratio shows the cost per tracker), and the
#      whole pure analyze_call (redaction, questions, topics, sentiment, next steps, content);
#   2. full analysis with embeddings: seconds per one-hour call (target < 1 s);
#   3. search at 10M utterances: p95 latency on SQLite and PostgreSQL.
#
#   ./bench/analysis/run.sh [seconds per figure]     (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-3}"
out=bench/out/analysis
mkdir -p "$out"

echo "== 1. keyword trackers + stats (rapport-conversation, pure) =="
cargo build --release --locked -p rapport-conversation --example analysis_bench >&2
# taskset pins the run to one core where it exists, so "per core" means one core.
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
"${pin[@]}" "${CARGO_TARGET_DIR:-target}/release/examples/analysis_bench" "$seconds" | tee "$out/keywords.txt"

echo
echo "== 2. full analysis with embeddings (rapport-embed) =="
./bench/analysis/embeddings.sh | tee "$out/embeddings.txt"

echo
echo "== 3. search at 10M utterances (SQLite and PostgreSQL) =="
# Loading 10M utterances through the real write path takes about 10 minutes per backend on
# two cores; SEARCH_UTTERANCES picks another size.
./bench/analysis/search.sh "${SEARCH_UTTERANCES:-10000000}" 5 | tee "$out/search.txt"
