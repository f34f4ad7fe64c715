#!/usr/bin/env bash
# The second README command (and what CI runs): install what is missing, build, and run
# every test through CTest:
#   1. build: Release with every test suite (build/release, GCC), then the sanitizer build
#      (build/asan, clang++, ASan + UBSan) with the unit and end-to-end tests and the
#      libFuzzer targets;
#   2. test: every Release test, then under ASan + UBSan the unit and end-to-end tests, the
#      fuzz regressions and a short fuzzing run per target, so that CTest's summary of the
#      sanitizer run is the last thing printed.
# Two compilers on purpose: GCC builds what users run, clang the sanitizer and fuzz build
# (libFuzzer is clang's), so code that only one of them accepts fails here.
# TSan is not run here (see docs/method.md, "Sanitizers"): ctest --preset tsan after
# cmake --preset tsan && cmake --build --preset tsan --target unit_sim_threads.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
# Every suite runs even when an earlier one fails; the exit status says if any did.
status=0
ctest --preset release -j "$jobs" || status=1
ctest --preset asan -j "$jobs" || status=1
exit "$status"
