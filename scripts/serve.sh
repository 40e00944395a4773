#!/usr/bin/env bash
# make serve: run as production would: DEBUG off, gunicorn, static files by whitenoise.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=0
if [ -z "${SECRET_KEY:-}" ]; then
  # A key kept under var/ so sessions survive restarts of this machine's server.
  mkdir -p var
  [ -f var/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' >var/secret_key
  SECRET_KEY=$(cat var/secret_key); export SECRET_KEY
fi
PY=.venv/bin/python
./scripts/compilemessages.sh
$PY manage.py migrate --noinput
$PY manage.py createcachetable
# Collecting and compressing static files takes a minute: only when something changed since the last run.
manifest=var/static/staticfiles.json
if [ ! -f "$manifest" ] || [ requirements.lock -nt "$manifest" ] \
   || [ -n "$(find . -path ./.venv -prune -o -path ./var -prune -o -path '*/static/*' -type f -newer "$manifest" -print -quit)" ]; then
  $PY manage.py collectstatic --noinput -v0
fi
$PY manage.py db_worker --worker-id "$(hostname)-worker-1" >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
exec_args=(--bind "127.0.0.1:${PORT:-8000}" --workers "${WEB_WORKERS:-4}" --access-logfile -)
.venv/bin/gunicorn opencoi.wsgi:application "${exec_args[@]}"
