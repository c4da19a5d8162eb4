#!/usr/bin/env bash
# Starts (or stops) the machine's Debian PostgreSQL for the destination tests, idempotently.
#
#   scripts/start-test-postgres.sh          # install if missing, allow trust auth on loopback, start
#   scripts/start-test-postgres.sh stop     # stop the cluster again
#
# On success it prints the URL the tests read, e.g.
#   STITCH_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
# so a caller can `eval "export $(scripts/start-test-postgres.sh | tail -1)"`.
#
# Needs root (it edits pg_hba.conf and starts the cluster). Only loopback gets `trust`:
# the cluster is a throwaway test database on this machine.
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "Installing PostgreSQL (Debian package)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

# The first cluster Debian made (e.g. "15 main 5432 down postgres ...").
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1) || true
if [ -z "${version:-}" ]; then
  echo "No PostgreSQL cluster found; create one with pg_createcluster." >&2
  exit 1
fi

if [ "${1:-start}" = "stop" ]; then
  if [ "$status" != "down" ]; then pg_ctlcluster "$version" "$cluster" stop; fi
  exit 0
fi

hba="/etc/postgresql/$version/$cluster/pg_hba.conf"
marker="# stitch-sandbox tests: trust on loopback"
if ! grep -qF "$marker" "$hba"; then
  # pg_hba.conf is read top to bottom, first match wins: put the trust lines first.
  tmp="$(mktemp)"
  {
    echo "$marker"
    echo "host    all    all    127.0.0.1/32    trust"
    echo "host    all    all    ::1/128         trust"
    cat "$hba"
  } > "$tmp"
  cat "$tmp" > "$hba"
  rm -f "$tmp"
  if [ "$status" != "down" ]; then pg_ctlcluster "$version" "$cluster" reload; fi
fi

if [ "$status" = "down" ]; then pg_ctlcluster "$version" "$cluster" start; fi

# Wait until it accepts connections (a fresh start takes a moment).
for _ in $(seq 1 50); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then
    echo "STITCH_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/postgres"
    exit 0
  fi
  sleep 0.2
done
echo "PostgreSQL did not become ready on 127.0.0.1:$port" >&2
exit 1
