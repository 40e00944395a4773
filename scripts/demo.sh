#!/usr/bin/env bash
# make demo: migrate, load the guides' scenario, run the task worker and the development server.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=1
# Links in the emails the demo prints follow the port it serves on (settings: SITE_URL defaults to PORT).
export PORT="$PORT"
PY=.venv/bin/python
mkdir -p var
./scripts/compilemessages.sh
$PY manage.py migrate --noinput
$PY manage.py createcachetable
$PY manage.py make_seal_certificate
$PY manage.py demo
$PY manage.py db_worker >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
echo "Serving on http://127.0.0.1:$PORT/  (emails print in this terminal; task worker log: var/worker.log)"
$PY manage.py runserver "127.0.0.1:$PORT"
