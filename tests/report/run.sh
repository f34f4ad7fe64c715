#!/usr/bin/env bash
# Runs the default study (500 draws: the outputs' shape, not their precision) and hands
# its outputs to browser.py or workbook.py. Usage: run.sh TAMNHIN SRC PYTHON browser|workbook [DIR]
set -euo pipefail
tamnhin=$1 src=$2 python=$3 what=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/tamnhin-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
mapfile -t files < <(grep -v '^\s*\(#\|$\)' "$src/scenarios/default-study.txt")
files=("${files[@]/#/$src/}")
case "$what" in
  browser)
    "$tamnhin" run "${files[@]}" --draws 500 --quiet --out "$work/out"
    # One chart per recorded variable of every model: the variables of forecast.csv.
    expected=$("$python" - "$work/out" <<'PY'
import csv, json, sys
out = sys.argv[1]
model_of = {s["name"]: s["model"] for s in json.load(open(f"{out}/run.json"))["scenarios"]}
rows = csv.DictReader(open(f"{out}/forecast.csv", encoding="utf-8"))
print(len({(model_of[r["scenario"]], r["variable"]) for r in rows}))
PY
)
    "$python" "$src/tests/report/browser.py" "$work/out/report.html" "$5" "$expected"
    ;;
  workbook)
    "$tamnhin" run "${files[@]}" --draws 500 --quiet --out "$work/out" --years 2025,2030,2045
    "$python" "$src/tests/report/workbook.py" "$work/out" 2025,2030,2045 en
    "$tamnhin" run "${files[@]:0:3}" --draws 300 --quiet --out "$work/vi" --lang vi
    "$python" "$src/tests/report/workbook.py" "$work/vi" 2025,2030,2035,2040,2045 vi
    ;;
esac
