#!/usr/bin/env bash
# Lead-scoring model against scikit-learn's HistGradientBoostingClassifier and LightGBM on the
# UCI bank-marketing files without `duration`, on the same stratified folds (Rapport writes the
# fold of each row; the Python side reads it). Prints the AUC of each, Rapport's training time
# over LightGBM's (CPU seconds, both on one thread) and scoring throughput per core.
#
#   ./bench/scoring/run.sh            (needs ../shared/data/bank-marketing and PyPI access once)
#   RAPPORT_BIN=target/debug/rapport ./bench/scoring/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${RAPPORT_BENCH_DATA:-../shared/data/bank-marketing}"
out=bench/out/scoring
venv=bench/out/venv-scoring
mkdir -p "$out"
# Timings come from the release-built example; the CLI only writes the folds and its AUC, which
# any build gives alike, so RAPPORT_BIN=target/debug/rapport spares a release build of everything.
rapport="${RAPPORT_BIN:-}"
if [[ -z "$rapport" ]]; then
    cargo build --release --locked -p rapport-cli >&2
    rapport=./target/release/rapport
fi
cargo build --release --locked -p rapport-scoring --example score_throughput >&2
if [[ ! -x "$venv/bin/python" ]]; then
    echo "bench: creating $venv (scikit-learn, lightgbm, pandas)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q scikit-learn lightgbm pandas >&2
fi
# One thread everywhere: the ratios are per core, and Rapport trains on one thread.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
for file in bank-additional-full.csv bank-full.csv; do
    name="${file%.csv}"
    echo "bench: $file" >&2
    "$rapport" score backtest --csv "$data/$file" --target y --drop duration --folds 5 --seed 42 \
        --json --write-folds "$out/$name.folds" >"$out/$name.rapport.json"
    ./target/release/examples/score_throughput "$data/$file" y duration "$out/$name.folds" >"$out/$name.throughput.json"
    "$venv/bin/python" bench/scoring/compare.py --csv "$data/$file" --folds "$out/$name.folds" \
        --rapport "$out/$name.rapport.json" --throughput "$out/$name.throughput.json"
done
