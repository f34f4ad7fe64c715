#!/usr/bin/env bash
# The second README command (and what CI runs): install what is missing, build, and run
# every test through CTest:
#   1. build: Release (build/release), ASan+UBSan (build/asan), the fuzz targets (clang++,
#      build/fuzz);
#   2. test: the fuzz regressions and a short fuzzing run per target, every Release test,
#      then the unit and end-to-end tests under ASan+UBSan, so that CTest's summary of the
#      sanitizer run is the last thing printed.
# TSan is not run here (see docs/method.md, "Sanitizers"): ctest --preset tsan after
# cmake --preset tsan && cmake --build --preset tsan --target unit_sim_threads.
# FUZZ_SECONDS (default 60) sets the length of each smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
cmake --preset fuzz -DTAMNHIN_FUZZ_SMOKE_SECONDS="${FUZZ_SECONDS:-60}" >/dev/null
cmake --build --preset fuzz -j "$jobs"
# Every suite runs even when an earlier one fails; the exit status says if any did.
status=0
ctest --preset fuzz -j "$jobs" || status=1
ctest --preset release -j "$jobs" || status=1
ctest --preset asan -j "$jobs" || status=1
exit "$status"
