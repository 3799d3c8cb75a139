#!/usr/bin/env bash
# Speech-to-text throughput and accuracy: Rapport versus faster-whisper, same tiny.en model,
# int8, same thread count, on jfk + LJSpeech and a 10-minute two-channel call. Prints
# wall time, real-time factor, WER and peak memory of each setting, then the ratios.
#
#   ./bench/asr/run.sh [threads]     (default: every core)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-$(nproc)}"
out=bench/out/asr
python3 -c "import faster_whisper" 2>/dev/null || python3 -m pip install -q faster-whisper >&2
model=$(./scripts/test-models.sh)
cargo build --release --locked -p rapport-asr --example transcribe --example wer >&2
mkdir -p "$out"
python3 bench/asr/compare.py "$out" "$model" "$threads" \
    ./target/release/examples/transcribe ./target/release/examples/wer | tee "$out/report.txt"
