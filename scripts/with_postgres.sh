#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on loopback, for the PostgreSQL half of the
# test suite: `scripts/with_postgres.sh .venv/bin/python -m pytest`.
#
# Uses Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin), installing the `postgresql`
# package with apt-get when they are missing and we are root (a fresh CI machine). The cluster
# lives in a fresh directory under /tmp, listens on 127.0.0.1 on a free port, and is stopped and
# removed on exit; Debian's own cluster service is neither needed nor started. Exports
#   NEWSPRISM_TEST_POSTGRES=postgresql://postgres@127.0.0.1:PORT/postgres
#   NEWSPRISM_REQUIRE_POSTGRES=1   (so the PostgreSQL tests fail rather than skip)
# and exits with the command's exit code.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

log() { echo "with_postgres: $*" >&2; }

find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ]; then
  if [ "$(id -u)" != 0 ]; then
    log "no PostgreSQL binaries under /usr/lib/postgresql and not root: install Debian's" \
        "'postgresql' package first"
    exit 1
  fi
  log "installing Debian's postgresql package"
  # policy-rc.d keeps apt from starting Debian's own cluster service; we run our own cluster
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
  fi
  status=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \
      >/dev/null; } || status=$?
  [ "$had_policy" = 0 ] && rm -f "$policy"
  if [ "$status" != 0 ]; then
    log "apt-get install postgresql failed ($status)"
    exit 1
  fi
  BINDIR=$(find_bindir || true)
  if [ -z "$BINDIR" ]; then
    log "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
    exit 1
  fi
fi

# initdb refuses to run as root: the cluster belongs to the `postgres` user then
as_owner() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    log "running as root but there is no 'postgres' user to own the cluster"
    exit 1
  fi
  as_owner() { runuser -u postgres -- "$@"; }
fi

free_port() {
  "${PYTHON:-python3}" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

DIR=$(mktemp -d /tmp/newsprism-pg.XXXXXX)
chmod 700 "$DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
DATA="$DIR/data"
started=0

cleanup() {
  local code=$?
  if [ "$started" = 1 ]; then
    as_owner "$BINDIR/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || \
      log "could not stop the server (log: $DIR/server.log)"
  fi
  rm -rf "$DIR"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_owner "$BINDIR/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; log "initdb failed"; exit 1; }

# A throwaway test cluster: durability is not wanted, speed is (fsync off)
for attempt in 1 2 3; do
  PORT=$(free_port)
  if as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null; then
    started=1
    break
  fi
  log "server did not start on port $PORT (attempt $attempt)"
  tail -n 20 "$DIR/server.log" >&2 || true
done
if [ "$started" != 1 ]; then
  exit 1
fi

export NEWSPRISM_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$PORT/postgres"
export NEWSPRISM_REQUIRE_POSTGRES=1
log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

set +e
"$@"
status=$?
set -e
exit "$status"
