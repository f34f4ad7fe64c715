#!/usr/bin/env bash
# tamnhin against bench/numpy_baseline.py, an independent NumPy implementation of the model
# contract: on every shipped scenario of both provinces and the hold-outs, every forecast
# mean and target probability, and every paired comparison with the reference (mean
# difference, share of draws higher, difference in a target's odds), agree within Monte
# Carlo error (bench/compare_means.py, 5 standard errors of the difference). A check of the engine's semantics that shares no
# code with it, and of the baseline bench/run.sh times the engine against.
#   usage: numpy_agrees.sh TAMNHIN ROOT OUTDIR DRAWS     (exit 77: no NumPy, skipped)
set -euo pipefail
tamnhin=$1 root=$2 out=$3 draws=$4
python=/usr/bin/python3  # Debian's, where tools/setup.sh installs python3-numpy
"$python" -c 'import numpy' 2>/dev/null || { echo "no python3-numpy: skipped"; exit 77; }
cd "$root"
mapfile -t files < <(grep -v '^\s*\(#\|$\)' scenarios/default-study.txt)
files+=(scenarios/*/holdout_*.toml)
rm -rf "$out"
"$tamnhin" run "${files[@]}" --draws "$draws" --quiet --out "$out/tamnhin"
"$python" bench/numpy_baseline.py "${files[@]}" --draws "$draws" --out "$out/numpy"
"$python" bench/compare_means.py "$out/tamnhin" "$out/numpy"
