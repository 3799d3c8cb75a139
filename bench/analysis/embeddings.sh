#!/usr/bin/env bash
# Seconds per one-hour call (900 utterances, ~9,000 words) for the full analysis: the keyword
# analysis, sentence embeddings and the default smart trackers, on ONE core, against the target
# of under 1 s; then the int8 encoder's agreement with the f32 reference. Builds the benchmark
# in release mode, pins it to one CPU and keeps every thread pool (rayon, candle's gemm) at
# one thread. Usage: bench/analysis/embeddings.sh [MODEL_DIR|HF_ID] [THREADS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-$(./scripts/test-models.sh >/dev/null && echo "$PWD/target/test-models/all-MiniLM-L6-v2")}
threads=${2:-1}
repeats=${3:-5}
cargo build --release --quiet -p rapport-embed --example call_benchmark
cpus=$(seq -s, 0 $((threads - 1)))
RAYON_NUM_THREADS=$threads taskset -c "$cpus" "${CARGO_TARGET_DIR:-target}/release/examples/call_benchmark" "$model" "$threads" "$repeats"
