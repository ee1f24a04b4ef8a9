#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan: cmake --preset fuzz) and runs
# each for SECONDS (default 60) from its seeds: tests/fuzz/seeds/<target>/ (regression inputs,
# kept), the shipped scenarios and the bad-input files. The results-file target edits templates
# written here by the CI build's govsim. A finding (crash-*, leak-*, timeout-*, oom-*) is left in
# build/fuzz/findings/ and fails the script: add it to the seeds once fixed.
# Usage: scripts/fuzz.sh [SECONDS]     (0 runs the seeds only)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_scenario fuzz_results_file
govsim=build/ci/app/govsim
if [ ! -x "$govsim" ]; then
  cmake --preset ci >/dev/null
  cmake --build --preset ci --target govsim
fi

out=build/fuzz/run
rm -rf "$out"
mkdir -p "$out/templates" "$out/corpus/fuzz_scenario" "$out/corpus/fuzz_results_file" build/fuzz/findings
templates=()
for e in experiment saltelli uncertainty; do
  "$govsim" run "tests/fuzz/templates/$e.yaml" --no-progress \
    -o "$out/templates/$e.h5" >"$out/templates/$e.log" 2>&1 ||
    { cat "$out/templates/$e.log" >&2; exit 1; }
  templates+=("$out/templates/$e.h5")
done
export GOVSIM_FUZZ_TEMPLATES
GOVSIM_FUZZ_TEMPLATES=$(IFS=:; echo "${templates[*]}")

# The targets copy their inputs to files: keep that in memory when /dev/shm is there.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
if [ "$seconds" = 0 ]; then budget=(-runs=0); else budget=(-max_total_time="$seconds"); fi
run() {
  local target=$1; shift
  echo "fuzz.sh: $target for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build/fuzz/tests/fuzz/$target" "${budget[@]}" -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix=build/fuzz/findings/ "$out/corpus/$target" \
    "tests/fuzz/seeds/$target" "$@" 2>"$out/$target.log" ||
    { tail -n 60 "$out/$target.log" >&2; echo "fuzz.sh: $target found a problem" >&2; exit 1; }
  grep -E "^stat::number_of_executed_units|^Done" "$out/$target.log" | sed "s/^/  $target: /" || true
}
run fuzz_scenario scenarios tests/data/bad tests/data/experiment tests/data/calibration
run fuzz_results_file
