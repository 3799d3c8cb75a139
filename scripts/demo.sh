#!/usr/bin/env bash
# Builds Rapport and runs the demo workspace on the embedded SQLite database:
#   ./scripts/demo.sh                 # small demo, served on http://127.0.0.1:8080
#   ./scripts/demo.sh --scale large   # benchmark-sized
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo build --release --locked -p rapport-cli
exec ./target/release/rapport demo "$@"
