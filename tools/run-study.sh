#!/usr/bin/env bash
# The first README command: install what is missing, build (Release) and run the default
# study (every shipped scenario listed in scenarios/default-study.txt), printing the
# scorecard and writing out/. Extra arguments go to `tamnhin run` (e.g. --draws 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release >/dev/null
# Only the program: the tests and benchmarks are for tools/test.sh.
cmake --build --preset release --target tamnhin
mapfile -t files < <(grep -v '^\s*\(#\|$\)' scenarios/default-study.txt)
exec build/release/tamnhin run "${files[@]}" --out out "$@"
