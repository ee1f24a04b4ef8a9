#!/usr/bin/env bash
# Installs what is missing, builds govsim (release) and runs the default Guangzhou experiment,
# then prints the policy comparison. Results: results/guangzhou-experiment.h5
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target govsim
./build/release/app/govsim run scenarios/guangzhou-experiment.yaml --overwrite
