#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what the checked-in .clang-format produces.
set -euo pipefail
cf=${1:-clang-format}
bad=0
while IFS= read -r f; do
  if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: $cf -i $f)"
    bad=1
  fi
done < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find sim models analysis app tests bench -name '*.[ch]pp')
exit $bad
