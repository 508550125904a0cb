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
# The clock starts on this week's Wednesday, 08:35 Bishkek: every run of the suite meets a school
# day with lessons "today" and "now", whatever day it really is.
SABAK_CLOCK_START=$(python3 -c '
import datetime as d
now = d.datetime.now(d.timezone(d.timedelta(hours=6)))
wednesday = now.date() - d.timedelta(days=now.weekday()) + d.timedelta(days=2)
print(f"{wednesday.isoformat()}T08:35")')
export SABAK_CLOCK_START
# The demo school is seeded only when asked for (production databases start with a first admin).
export SABAK_DEMO=true
exec "${CARGO_TARGET_DIR:-$HOME/.cache/sabak-target}/release/sabak"
