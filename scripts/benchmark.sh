#!/usr/bin/env bash
# Benchmark figures for the README's "Benchmarks" section: accepted records/s and accept latency
# of the release stitch-sandbox, and loaded rows/s into SQLite and PostgreSQL next to
# `sqlite3 .import` and psql's `\copy` (COPY FROM STDIN) of the same rows, then `stitch-wizard push`
# against target-stitch 4.0.3 (1,000,000 records each: CPU and wall time; target-stitch is installed
# into $STITCH_BENCHMARK_VENV, default ~/.cache/stitch-benchmark-venv) and push's peak memory on
# 1 GB of JSONL, in one run. First of all, start-up: `stitch-wizard --sandbox` against `dialog --inputbox`
# in a private tmux at 80x24 (needs tmux and dialog; --skip-startup leaves it out).
#
#   bash scripts/benchmark.sh                    # everything, figures as Markdown on stdout
#   bash scripts/benchmark.sh --rounds 5         # any stitch-benchmark option (see --help)
#   bash scripts/benchmark.sh --skip-accept --skip-load --skip-push   # start-up only
#   STITCH_BENCHMARK_SKIP_POSTGRES=1 bash scripts/benchmark.sh   # SQLite only
#   STITCH_BENCHMARK_SCRATCH=.build-release bash scripts/benchmark.sh   # build in another scratch path
#
# STITCH_BENCHMARK_SCRATCH (default .build) is the build directory: a release build in a shared
# .build locks out everyone's debug builds for its whole duration, so on a shared tree use your own.
#
# PostgreSQL: uses $STITCH_TEST_POSTGRES_URL if set; otherwise starts the machine's cluster with
# scripts/start-test-postgres.sh (needs root) and stops it again only if it was down before.
# Progress and build output go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
started_at=$(date +%s)

scratch="${STITCH_BENCHMARK_SCRATCH:-.build}"
echo "Building release binaries (swift build -c release --scratch-path $scratch)..." >&2
swift build -c release --scratch-path "$scratch" --product stitch-sandbox >&2
swift build -c release --scratch-path "$scratch" --product stitch-benchmark >&2
swift build -c release --scratch-path "$scratch" --product stitch-wizard >&2
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

# Options only: no database needed.
for argument in "$@"; do
  case "$argument" in
    -h|--help) exec "$bin/stitch-benchmark" --help ;;
  esac
done

stop_postgres=no
cleanup() {
  if [ "$stop_postgres" = yes ]; then
    echo "Stopping the PostgreSQL this script started" >&2
    bash scripts/start-test-postgres.sh stop >&2 || true
  fi
}
trap cleanup EXIT

if [ -n "${STITCH_BENCHMARK_SKIP_POSTGRES:-}" ]; then
  export STITCH_TEST_POSTGRES_URL=""
elif [ -z "${STITCH_TEST_POSTGRES_URL:-}" ]; then
  status=down
  if command -v pg_lsclusters >/dev/null 2>&1; then
    status="$(pg_lsclusters --no-header | awk 'NR == 1 { print $4 }')"
  fi
  url_line="$(bash scripts/start-test-postgres.sh | tail -1)"
  case "$url_line" in
    STITCH_TEST_POSTGRES_URL=*) export "$url_line" ;;
    *) echo "scripts/start-test-postgres.sh printed no URL: $url_line" >&2; exit 1 ;;
  esac
  if [ "$status" != online ]; then stop_postgres=yes; fi
fi

# target-stitch 4.0.3 from PyPI, unmodified, in a venv of its own: the push benchmark's yardstick.
venv="${STITCH_BENCHMARK_VENV:-$HOME/.cache/stitch-benchmark-venv}"
target_stitch=()
if [ ! -x "$venv/bin/target-stitch" ]; then
  echo "Installing target-stitch==4.0.3 into $venv" >&2
  { python3 -m venv "$venv" && PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install -q target-stitch==4.0.3; } >&2 \
    || echo "Could not install target-stitch (python3-venv and PyPI needed); the push comparison is skipped" >&2
fi
if [ -x "$venv/bin/target-stitch" ]; then target_stitch=(--target-stitch "$venv/bin/target-stitch"); fi

commit="$(git rev-parse --short HEAD)"
if ! git diff --quiet HEAD -- Sources Package.swift; then commit="$commit + uncommitted changes"; fi

"$bin/stitch-benchmark" --sandbox-binary "$bin/stitch-sandbox" --wizard-binary "$bin/stitch-wizard" \
  "${target_stitch[@]}" --commit "$commit" "$@"
echo "scripts/benchmark.sh took $(( $(date +%s) - started_at )) s" >&2
