#!/usr/bin/env bash
# Builds and runs every test: installs what is missing, builds with warnings as errors, runs the
# suite through CTest, runs clang-tidy on the C++ files the last commit changed, then the
# AddressSanitizer + UndefinedBehaviorSanitizer build on the unit, validation and regression
# tests, then the fuzz targets (clang) on their regression seeds and for 60 s each.
# `scripts/test.sh --no-asan` skips the sanitizer and fuzz passes.
set -euo pipefail
cd "$(dirname "$0")/.."

asan=1
for arg in "$@"; do
  case "$arg" in
    --no-asan) asan=0 ;;
    *) echo "usage: scripts/test.sh [--no-asan]" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
# Every Catch2 test case must have become a CTest test (a ';' in a name would silently merge them).
# (Catch2 v2 exits with the number of tests it listed, hence the `|| true`.)
listed=$({ ./build/ci/tests/govsim_tests --list-test-names-only || true; } | grep -c .)
registered=$(ctest --preset ci -N | sed -n 's/^Total Tests: //p')
if [ "$registered" -lt "$listed" ]; then
  echo "test.sh: CTest registered $registered tests but the binary has $listed test cases" >&2
  exit 1
fi
ctest --preset ci -j2
# clang-tidy on the C++ files the last commit changed (scripts/tidy.sh --all for every file).
bash scripts/tidy.sh

if [ "$asan" = 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan --target govsim_tests govsim
  # Leak checks stay on; TBB's worker threads are reported as reachable, not leaked.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ./build/asan/tests/govsim_tests "[unit],[validation],[regression]"
  bash scripts/fuzz.sh 60
fi
