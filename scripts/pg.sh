#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a temporary folder: `pg.sh start` prints the variables to eval,
# `pg.sh stop DIR` stops it and removes the folder.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
case "${1:-}" in
start)
  port=${PGTEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  dir=$(mktemp -d /tmp/pgtest.XXXXXX)
  run=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
  "${run[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-k $dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  echo "PGTEST_DIR=$dir; PGTEST_URL=postgres://postgres@127.0.0.1:$port/postgres; export PGTEST_DIR PGTEST_URL"
  ;;
stop)
  dir=$2
  [ -f "$dir/data/postmaster.pid" ] && kill -INT "$(head -1 "$dir/data/postmaster.pid")" 2>/dev/null || true
  for _ in $(seq 50); do [ -f "$dir/data/postmaster.pid" ] || break; sleep 0.1; done
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
