#!/usr/bin/env bash
# Installs what the tests need beyond the build tools: Chromium and PostgreSQL from Debian,
# Playwright and axe-core from npm. Skips whatever is there already.
set -euo pipefail
log() { printf '[install-test-deps] %s\n' "$*"; }
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v brotli >/dev/null || need_apt+=(brotli)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
cd "$(dirname "$0")/../end2end"
if [ ! -d node_modules/@playwright/test ] || [ package.json -nt node_modules/.package-lock.json ]; then
  log "npm ci in end2end/"
  npm ci --no-audit --no-fund
fi
log "test dependencies ready"
