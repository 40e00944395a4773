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
  # A cluster that survives between runs (generating a million COIs takes minutes): var/bench-pg, started if
  # it is not running, created if it does not exist. Stop it: pg_ctl -D var/bench-pg/data stop.
  port=${BENCH_PG_PORT:-55499}
  dir=$PWD/var/bench-pg
  if ! pg_isready -h 127.0.0.1 -p "$port" -q 2>/dev/null; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    run=()
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; run=(runuser -u postgres --); fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      "${run[@]}" "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
    fi
    "${run[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-k $dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB -c maintenance_work_mem=512MB -c work_mem=64MB" start >/dev/null
    echo "PostgreSQL for the benchmark in $dir (stop: pg_ctl -D $dir/data stop)"
  fi
  export BENCH_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
fi
scales=(10000)
[ "${SCALE:-10000}" != 10000 ] && scales+=("$SCALE")
.venv/bin/python bench/run.py ${BENCH_PREPARE_ONLY:+--prepare-only} --scales "${scales[@]}" --seconds "${BENCH_SECONDS:-30}" --users "${BENCH_USERS:-16}"
