#!/usr/bin/env bash
# A newcomer's first run: bring up the local stack, run the smoke preset of the
# Parameter Transfer Unit study end to end (source networks trained once and reused,
# then every transfer strategy on two domain pairs and three architectures), and print
# the paper's table. The stack keeps running afterwards (`sweep dev status`, `sweep dev down`).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
node bin/sweep.mjs dev up
node bin/sweep.mjs submit sweeps/ptu-grid.ts --preset smoke --wait
node bin/sweep.mjs table ptu-grid --preset paper
echo "demo: $(( $(date +%s) - start )) s end to end. Web UI: http://127.0.0.1:8233 — stop everything with: npx sweep dev down"
