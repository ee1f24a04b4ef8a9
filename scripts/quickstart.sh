#!/usr/bin/env bash
# Installs what is missing, builds govsim (release) and runs the default Guangzhou experiment,
# then prints the policy comparison. Results: results/guangzhou-experiment.h5
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target govsim
# The headline metrics; `govsim compare results/guangzhou-experiment.h5` prints all of them.
./build/release/app/govsim run scenarios/guangzhou-experiment.yaml --overwrite \
  --compare-metric resolution_rate --compare-metric satisfaction_rate --compare-metric open_share \
  --compare-metric response_rate_within_limit --compare-metric time_to_resolution_mean_h \
  --compare-metric time_from_arising_to_resolution_mean_h \
  --compare-metric transfers_per_dispatched --compare-metric duplicate_work_orders_per_day \
  --compare-metric escalations_per_day --compare-metric open_issues_end \
  --compare-metric trust_end --compare-metric staff_hours_per_resolved
