#!/usr/bin/env bash
# Starts the release build on a fresh SQLite database for the Playwright suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/target/e2e-data"
rm -rf "$data" && mkdir -p "$data"
export SABAK_DATA_DIR="$data"
export SABAK_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT="$root/target/site"
export RUST_LOG="${RUST_LOG:-warn}"
exec "${CARGO_TARGET_DIR:-$HOME/.cache/sabak-target}/release/sabak"
