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
# The seal: its key made in a SoftHSM2 token, a trial CA, OCSP responder, CRLs and TSA on loopback (no
# internet needed); var/seal/trial/seal.env points the seal settings at them (PAdES B-LT).
SEAL_DIR=var/seal/trial
$PY manage.py seal_trial_pki "$SEAL_DIR"
set -a
# shellcheck disable=SC1091
. "$SEAL_DIR/seal.env"
set +a
$PY manage.py seal_trial_pki "$SEAL_DIR" --serve >var/pki.log 2>&1 &
pki=$!
trap 'kill $pki 2>/dev/null || true' EXIT
pki_port=$(printf '%s' "${SEAL_TRIAL_PKI_URL:-http://127.0.0.1:9780}" | sed -E 's#.*:([0-9]+)/?$#\1#')
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$pki_port") 2>/dev/null && break; sleep 0.2; done
$PY manage.py demo
$PY manage.py db_worker --worker-id "$(hostname)-worker-1" >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker $pki 2>/dev/null || true' EXIT
echo "Serving on http://127.0.0.1:$PORT/  (emails print in this terminal; task worker log: var/worker.log; seal PKI: var/pki.log)"
$PY manage.py runserver "127.0.0.1:$PORT"
