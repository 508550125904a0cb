#!/usr/bin/env bash
# Runs a command with SABAK_TEST_PG_URL pointing at a throwaway PostgreSQL cluster that this
# script starts on a free loopback port and removes afterwards. If SABAK_TEST_PG_URL is already
# set (a server you run yourself), the command runs against that instead.
set -euo pipefail
if [ -n "${SABAK_TEST_PG_URL:-}" ]; then exec "$@"; fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL is not installed (run: make setup-test)" >&2; exit 1; }
dir=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$dir/data" -A trust -U sabak >/dev/null
# fsync off: a test cluster is thrown away, and this halves the suite's time (`make bench` turns
# it on: its figures are a real server's).
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${SABAK_PG_FSYNC:-off} -c max_connections=400" >/dev/null
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
export SABAK_TEST_PG_URL="postgres://sabak@127.0.0.1:$port/postgres"
echo "[with-postgres] throwaway PostgreSQL on port $port"
"$@"
