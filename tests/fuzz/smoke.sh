#!/usr/bin/env bash
# A short fuzzing run, as CI does it: RUNS inputs from a fixed seed (-seed=1), mutating a
# scratch corpus grown from SEEDS. Fixed runs and seed make the smoke run reproducible: the
# same commit explores the same inputs on any machine at any load, so CI does not fail on
# luck, and a failure seen in CI is seen again here. Open-ended fuzzing with random seeds is
# a separate, longer run (tests/fuzz/README.md). MAX_SECONDS only bounds a stuck run.
# Any crash, undefined behaviour, leak or input slower than 10 s fails it; the input that
# did is left in WORK as crash-*, leak-*, timeout-* or oom-* (copy it into regressions/).
# Usage: smoke.sh FUZZER SEEDS WORK RUNS MAX_SECONDS
set -uo pipefail
fuzzer=$1 seeds=$2 work=$3 runs=$4 max_seconds=$5
rm -rf "$work"
mkdir -p "$work/corpus"
# One job, one process: CI has two cores and the other target runs at the same time.
"$fuzzer" -seed=1 -runs="$runs" -max_total_time="$max_seconds" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$seeds" 2>&1 | tail -n 25
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzzing found a problem (exit $status); the input is in $work:" >&2
  ls "$work" >&2
  exit 1
fi
