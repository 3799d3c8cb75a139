#!/usr/bin/env bash
# Installs what building and testing Rapport needs on a fresh Debian machine, and nothing
# twice: each step checks first. Safe to run on every start.
set -euo pipefail

need_apt=()
command -v cc >/dev/null || need_apt+=(build-essential)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)

if ((${#need_apt[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "setup: missing system packages: ${need_apt[*]} (run as root or install them)" >&2
        exit 1
    fi
    echo "setup: installing ${need_apt[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
    echo "setup: cargo is missing; install Rust with rustup first" >&2
    exit 1
fi
