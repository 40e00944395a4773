#!/usr/bin/env bash
# Refresh each app's French catalogue from the code and templates (then translate the new entries).
set -euo pipefail
cd "$(dirname "$0")/.."
for app in core accounts directory certificates reference api customs demo; do
  [ -d "$app" ] || continue
  mkdir -p "$app/locale"
  (cd "$app" && ../.venv/bin/django-admin makemessages -l fr --no-obsolete --no-location -i 'tests/*' >/dev/null)
done
./scripts/compilemessages.sh
