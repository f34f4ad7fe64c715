#!/usr/bin/env bash
# The second README command (and what CI runs): install what is missing, build and run
# every test through CTest. CTest's summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"
