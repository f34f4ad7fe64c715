#!/usr/bin/env bash
# The example scenarios: check passes; run writes the three documented files.
# Usage: examples.sh TAMNHIN SRC run|check|bare_model|scenario_overrides|unicode_text|regions
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
PY=${PYTHON3:-python3}
# Relative paths, as a user would type them; run.json records them as given.
cd "$SRC" || exit 2
base=scenarios/examples/baseline.toml
health=scenarios/examples/health_first.toml
model=scenarios/examples/model.toml

case "${3:-}" in
  check)
    run_tamnhin check check "$base" "$health"
    expect_status 0
    grep -q "baseline.toml: ok" "$WORK/check.out" || fail "check does not say baseline.toml is ok"
    grep -q "health_first.toml: ok" "$WORK/check.out" || fail "check does not say health_first.toml is ok"
    run_tamnhin check_model check "$model"
    expect_status 0
    ;;
  run)
    out=$WORK/out
    run_tamnhin run run "$base" "$health" --draws 2000 --out "$out"
    expect_status 0
    for f in forecast.csv targets.csv run.json; do
      [ -f "$out/$f" ] || fail "run did not write $f"
    done
    listing=$(dir_listing "$out" | tr '\n' ' ')
    # Two scenarios: the paired comparisons too.
    [ "$listing" = "./compare.csv ./compare_targets.csv ./forecast.csv ./report.html ./run.json ./scorecard.csv ./scorecard.txt ./tables.xlsx ./targets.csv " ] ||
      fail "out dir holds other files than the documented outputs: $listing"
    # Exact header lines of MODEL_FORMAT.md.
    [ "$(head -1 "$out/forecast.csv")" = "scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95" ] ||
      fail "forecast.csv header: $(head -1 "$out/forecast.csv")"
    [ "$(head -1 "$out/targets.csv")" = "scenario,variable,year,comparator,threshold,probability,probability_se,p50,p05,p95,first_year_p50,source" ] ||
      fail "targets.csv header: $(head -1 "$out/targets.csv")"
    # A scorecard on stdout naming both scenarios.
    grep -q baseline "$WORK/run.out" && grep -q health_first "$WORK/run.out" ||
      fail "the scorecard does not name both scenarios"
    "$PY" "$(dirname "$0")/outputs.py" validate "$out" --model "$model" \
      --scenarios baseline,health_first --draws 2000,2000 --seed 2024,2024 --sampling mc \
      --files "$base,$health,$model" || fail "outputs.py validate (see above)"
    [ "$("$PY" "$(dirname "$0")/outputs.py" json "$out" draws)" = 2000 ] ||
      fail "run.json draws is not the 2000 of --draws"
    # unemployment_rate (min = 0.5) is clamped: its p05 in 2030 is 0.5 and run.json counts it.
    [ "$(grep '^baseline,unemployment_rate,%,2030,' "$out/forecast.csv" | cut -d, -f7)" = 0.5 ] ||
      fail "unemployment_rate 2030 p05 is not the clamp 0.5"
    "$PY" "$(dirname "$0")/outputs.py" json "$out" scenarios.0.clamps |
      grep -qE '"variable": "unemployment_rate", "low": [1-9]' ||
      fail "run.json does not count the clamps of unemployment_rate"

    # --threads and --sampling are recorded as used.
    out2=$WORK/out2
    run_tamnhin run2 run "$base" --draws 300 --threads 2 --sampling lhs --quiet --out "$out2"
    expect_status 0
    [ -s "$WORK/run2.out" ] && fail "--quiet still printed: $(head -3 "$WORK/run2.out")"
    "$PY" "$(dirname "$0")/outputs.py" validate "$out2" --model "$model" --scenarios baseline \
      --draws 300 --seed 2024 --sampling lhs --threads 2 --files "$base,$model" ||
      fail "outputs.py validate of the --threads 2 --sampling lhs run (see above)"
    ;;
  bare_model)
    # A bare model file runs as its own baseline.
    out=$WORK/out
    run_tamnhin bare run "$model" --draws 500 --out "$out"
    expect_status 0
    "$PY" "$(dirname "$0")/outputs.py" validate "$out" --model "$model" --scenarios baseline \
      --draws 500 --files "$model" || fail "outputs.py validate of the bare model run (see above)"
    ;;
  scenario_overrides)
    # tests/data/good/overrides.toml extends baseline and overrides a parameter field, a
    # path and a table, and adds a target (it joins the model's), with its own draws.
    out=$WORK/out
    run_tamnhin overrides run tests/data/good/overrides.toml "$base" --quiet --out "$out"
    expect_status 0
    [ "$("$PY" "$(dirname "$0")/outputs.py" json "$out" scenarios.0.draws)" = 1500 ] ||
      fail "overrides: draws = 1500 of the scenario not used"
    [ "$("$PY" "$(dirname "$0")/outputs.py" json "$out" scenarios.1.draws)" = 2000 ] ||
      fail "baseline next to overrides: its own draws = 2000 not used"
    targets=$(grep '^overrides,housing_m2,' "$out/targets.csv" | cut -d, -f3,4,5,12)
    [ "$targets" = "2030,at_least,33,illustrative target
2045,at_least,36,added by the scenario" ] || fail "overrides: housing_m2 targets are: $targets"
    [ "$(grep -c '^overrides,' "$out/targets.csv")" = 7 ] ||
      fail "overrides: expected the model's 6 targets and the added one"
    [ "$(grep -c '^baseline,' "$out/targets.csv")" = 6 ] ||
      fail "baseline: the scenario's added target leaked into the baseline"
    [ "$(grep '^overrides,growth_path,1/yr,2030,' "$out/forecast.csv" | cut -d, -f5)" = 0.07 ] ||
      fail "overrides: growth_path 2030 is not the overridden 0.07"
    [ "$(grep '^baseline,growth_path,1/yr,2030,' "$out/forecast.csv" | cut -d, -f5)" = 0.08 ] ||
      fail "baseline: growth_path 2030 is not the model's 0.08"
    for f in tests/data/good/overrides.toml "$base" "$model"; do
      grep -qF "\"$f\"" "$out/run.json" || fail "run.json does not list $f"
    done
    ;;
  unicode_text)
    # Vietnamese units and sources with commas and quotes: CSV-quoted, UTF-8 kept exactly.
    out=$WORK/out
    run_tamnhin unicode run tests/data/good/unicode_text.toml --draws 200 --out "$out"
    expect_status 0
    "$PY" "$(dirname "$0")/outputs.py" validate "$out" --model tests/data/good/unicode_text.toml \
      --scenarios baseline --draws 200 || fail "outputs.py validate of unicode_text (see above)"
    grep -qF '"Nghị quyết 42-NQ/TW, nhóm 1, ""chỉ tiêu 3"""' "$out/targets.csv" ||
      fail "targets.csv: the source is not quoted as CSV requires: $(tail -1 "$out/targets.csv")"
    grep -qF 'Tỉnh Long An' "$WORK/unicode.out" || fail "the scorecard lost the model's name"
    ;;
  regions)
    # Dimensions, history before the base year and a delay (scenarios/examples/regions.toml).
    regions=scenarios/examples/regions.toml
    run_tamnhin regions_check check "$regions"
    expect_status 0
    out=$WORK/out
    run_tamnhin regions run "$regions" --draws 1000 --quiet --out "$out"
    expect_status 0
    # One row per element: name[element], name[e1,e2] (CSV-quoted: it holds a comma).
    for v in '"population[long_an,0-14]"' '"population[tay_ninh_old,60+]"' 'old_share[long_an]' \
      'classrooms[tay_ninh_old]' 'population_total'; do
      grep -qF "baseline,$v," "$out/forecast.csv" || fail "forecast.csv has no rows for $v"
    done
    # prev(births, 6) reads the history in 2023: 2017, between 2016 = 26100 and
    # 2020 = 24500, is 25700 in every draw.
    got=$(grep -F 'baseline,school_entrants[long_an],persons/yr,2023,' "$out/forecast.csv" | cut -d, -f5,6)
    [ "$got" = "25700,0" ] || fail "school_entrants[long_an] 2023 is $got, not the history's 25700"
    # A target on one element.
    grep -qF 'baseline,classrooms[long_an],2030,at_least,3525,' "$out/targets.csv" ||
      fail "targets.csv lacks the target on classrooms[long_an]"
    ;;
  *)
    echo "usage: $0 TAMNHIN SRC run|check|bare_model|scenario_overrides|unicode_text|regions" >&2
    exit 2
    ;;
esac
e2e_finish
