#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy, warnings as errors) over C++ sources, with the CI build's
# compile commands (build/ci, configured if missing).
#   scripts/tidy.sh            the .cpp files the last commit changed, and those changed since
#   scripts/tidy.sh --all      every .cpp under sim/, models/, analysis/, app/, h5/ and bench/
#   scripts/tidy.sh FILE...    the files named
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-tidy >/dev/null; then
  echo "tidy.sh: clang-tidy is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
[ -f build/ci/compile_commands.json ] || cmake --preset ci >/dev/null

files=()
if [ "${1:-}" = "--all" ]; then
  mapfile -t files < <(git ls-files 'sim/*.cpp' 'models/*.cpp' 'analysis/*.cpp' 'app/*.cpp' \
                                    'h5/*.cpp' 'bench/*.cpp')
elif [ $# -gt 0 ]; then
  files=("$@")
else
  base=HEAD
  git rev-parse -q --verify HEAD~1 >/dev/null && base=HEAD~1
  mapfile -t files < <({ git diff --name-only "$base"; git diff --name-only; } |
                       grep -E '^(sim|models|analysis|app|h5|bench)/.*\.cpp$' | sort -u |
                       while read -r f; do [ -f "$f" ] && echo "$f"; done)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "tidy.sh: no C++ source changed"
  exit 0
fi
echo "tidy.sh: clang-tidy on ${#files[@]} file(s)"
# One file at a time, so that a crash of clang-tidy on one file names it and hides no other.
# GCC-only warning flags in the compile commands are not clang-tidy's business; the counts of
# suppressed warnings in system headers are noise.
failed=()
for f in "${files[@]}"; do
  set +e
  clang-tidy -p build/ci --quiet --extra-arg=-Wno-unknown-warning-option "$f" 2>&1 |
    grep -v -E '^[0-9]+ warnings? generated\.$'
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" -eq 0 ] || failed+=("$f")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "tidy.sh: clang-tidy found problems in ${failed[*]} (checks in .clang-tidy)" >&2
  exit 1
fi
echo "tidy.sh: clean"
