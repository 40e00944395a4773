#!/usr/bin/env bash
# Compile the French catalogues (.po -> .mo) of every app that has one.
set -euo pipefail
cd "$(dirname "$0")/.."
for po in $(find . -path ./.venv -prune -o -name '*.po' -path '*/locale/*' -print); do
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then msgfmt --check-format -o "$mo" "$po"; fi
done
