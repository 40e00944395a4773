#!/usr/bin/env bash
# make bench [SCALE=1000000]: the benchmark at 10k and at SCALE (never part of make test).
# Uses BENCH_DATABASE_URL (a PostgreSQL server where it may create databases) or a throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-bench/bin/locust ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet -r bench/requirements.lock
fi
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  # A cluster that survives between runs (generating a million COIs takes minutes), under var/.
  export PGTEST_PORT=${BENCH_PG_PORT:-55499}
  if ! pg_isready -h 127.0.0.1 -p "$PGTEST_PORT" -q 2>/dev/null; then
    eval "$(./scripts/pg.sh start)"
    echo "PostgreSQL for the benchmark in $PGTEST_DIR (stop: ./scripts/pg.sh stop $PGTEST_DIR)"
  fi
  export BENCH_DATABASE_URL="postgres://postgres@127.0.0.1:$PGTEST_PORT/postgres"
fi
scales=(10000)
[ "${SCALE:-10000}" != 10000 ] && scales+=("$SCALE")
.venv/bin/python bench/run.py --scales "${scales[@]}" --seconds "${BENCH_SECONDS:-30}" --users "${BENCH_USERS:-16}"
