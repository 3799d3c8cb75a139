#!/usr/bin/env bash
# Runs every check CI runs: formatting, lints, and all tests on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

export RAPPORT_TEST_POSTGRES_URL="${RAPPORT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    # The machines start PostgreSQL as a service; start it again if it stopped.
    if command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    fi
    for _ in $(seq 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "test: PostgreSQL is not reachable at 127.0.0.1:5432" >&2; exit 1; }

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
