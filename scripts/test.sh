#!/usr/bin/env bash
# make test: lint, types, import contracts, migrations check, the suite on SQLite, on a real PostgreSQL, then in a real browser.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=opencoi.test_settings
start=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
need_debs=()
[ -x /usr/bin/chromium ] || need_debs+=(chromium)
command -v pdftotext >/dev/null || need_debs+=(poppler-utils)
command -v msgfmt >/dev/null || need_debs+=(gettext)
# The seal's tests: its key in SoftHSM2; pdfsig (poppler-utils) checks the seal with an NSS database that
# certutil (libnss3-tools) makes; openssl checks the timestamp token.
[ -f /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null || need_debs+=(softhsm2)
command -v certutil >/dev/null || need_debs+=(libnss3-tools)
command -v openssl >/dev/null || need_debs+=(openssl)
[ -n "${DATABASE_URL:-}" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_debs+=(postgresql)
if [ ${#need_debs[@]} -gt 0 ]; then
  step "installing Debian packages: ${need_debs[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_debs[@]}" >/dev/null
fi

mkdir -p var

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

# mypy works alone on one core for about a minute on a fresh clone (no cache): it runs beside the other checks
# and the SQLite pass, and its verdict is read after that pass.
step "types (mypy, django-stubs), in the background"
.venv/bin/mypy > var/mypy.log 2>&1 &
mypy_pid=$!

step "import contracts (lint-imports)"
.venv/bin/lint-imports --no-cache

step "translations"
./scripts/compilemessages.sh

step "makemigrations --check"
$PY manage.py makemigrations --check --dry-run

step "dependency audit (pip-audit)"
./scripts/audit.sh

# --dist worksteal: a worker that runs out of tests takes the not yet started half of the other's, so the two
# finish together (the default `load` hands each worker a fixed first chunk: the longest tests, sorted first,
# all went to one worker, which then ran alone for minutes).
DIST=(-n "${TEST_WORKERS:-2}" --dist worksteal)

# The SQLite pass builds its databases from the models (--nomigrations: the 90 migrations cost each worker
# 15-30 s; `makemigrations --check` above proves the models and the migrations agree); the PostgreSQL pass and
# the servers step build theirs by migrating, and the tests marked `migrations` run there.
step "pytest on SQLite"
$PY -m pytest -q -m "not browser and not servers and not migrations" --nomigrations "${DIST[@]}" -x "$@"

step "types (mypy): its verdict"
if wait "$mypy_pid"; then cat var/mypy.log; else cat var/mypy.log; exit 1; fi

step "pytest on PostgreSQL"
PG_URL="${DATABASE_URL:-}"
if [ -z "$PG_URL" ]; then
  eval "$(./scripts/pg.sh start)"
  trap './scripts/pg.sh stop "$PGTEST_DIR"' EXIT
  PG_URL="$PGTEST_URL"
fi
DATABASE_URL="$PG_URL" $PY -m pytest -q -m "not browser and not once and not servers" "${DIST[@]}" -x "$@"

step "several servers (two gunicorn, PostgreSQL, an S3 server, two task workers, started by the test)"
# (exit status 5: the arguments given select none of these tests)
DATABASE_URL="$PG_URL" $PY -m pytest -q -m servers -p no:xdist -x "$@" || [ $? -eq 5 ]

step "browser tests (headless Chromium)"
DJANGO_ALLOW_ASYNC_UNSAFE=true $PY -m pytest -q -m "browser and not migrations" --nomigrations -x "$@"

step "done"
