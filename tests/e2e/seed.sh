#!/usr/bin/env bash
# Seed and draws: the command line overrides the scenario, the scenario overrides the
# default; the same seed gives the same bytes; run.json records the values used.
# Usage: seed.sh TAMNHIN SRC precedence|draws|default|run_json_top_level
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
PY=${PYTHON3:-python3}
OUTPUTS=$(dirname "$0")/outputs.py
base=$EXAMPLES/baseline.toml   # seed = 2024, draws = 2000
json() { "$PY" "$OUTPUTS" json "$@"; }
tables_same() {
  same_file "$1/forecast.csv" "$2/forecast.csv" "$3 (forecast.csv)"
  same_file "$1/targets.csv" "$2/targets.csv" "$3 (targets.csv)"
}
tables_differ() {
  different_file "$1/forecast.csv" "$2/forecast.csv" "$3 (forecast.csv)"
}

case "${3:-}" in
  precedence)
    run_tamnhin file_seed run "$base" --draws 1000 --quiet --out "$WORK/file_seed"
    expect_status 0
    [ "$(json "$WORK/file_seed" scenarios.0.seed)" = 2024 ] ||
      fail "run.json: scenario seed $(json "$WORK/file_seed" scenarios.0.seed), the scenario says 2024"

    run_tamnhin same_as_file run "$base" --draws 1000 --seed 2024 --quiet --out "$WORK/same_as_file"
    expect_status 0
    tables_same "$WORK/file_seed" "$WORK/same_as_file" "--seed 2024 vs the scenario's seed = 2024"

    run_tamnhin seed7 run "$base" --draws 1000 --seed 7 --quiet --out "$WORK/seed7"
    expect_status 0
    tables_differ "$WORK/file_seed" "$WORK/seed7" "--seed 7 vs the scenario's 2024"
    [ "$(json "$WORK/seed7" scenarios.0.seed)" = 7 ] ||
      fail "run.json: scenario seed $(json "$WORK/seed7" scenarios.0.seed) after --seed 7"
    [ "$(json "$WORK/seed7" seed)" = 7 ] || fail "run.json: seed $(json "$WORK/seed7" seed) after --seed 7"

    run_tamnhin seed7_again run "$base" --draws 1000 --seed 7 --quiet --out "$WORK/seed7_again"
    expect_status 0
    tables_same "$WORK/seed7" "$WORK/seed7_again" "two runs with --seed 7"

    run_tamnhin seed8 run "$base" --draws 1000 --seed 8 --quiet --out "$WORK/seed8"
    expect_status 0
    tables_differ "$WORK/seed7" "$WORK/seed8" "--seed 7 vs --seed 8"

    # A child scenario's seed overrides the one it extends; --seed overrides both.
    run_tamnhin child run "$GOOD/seeded.toml" --draws 1000 --quiet --out "$WORK/child"
    expect_status 0
    [ "$(json "$WORK/child" scenarios.0.seed)" = 99 ] ||
      fail "run.json: seed $(json "$WORK/child" scenarios.0.seed) for a scenario with seed = 99"
    run_tamnhin seed99 run "$base" --draws 1000 --seed 99 --quiet --out "$WORK/seed99"
    expect_status 0
    # Same model, same seed: the rows are the same apart from the scenario name.
    same_file <(cut -d, -f2- "$WORK/child/forecast.csv") <(cut -d, -f2- "$WORK/seed99/forecast.csv") \
      "seeded.toml (seed = 99) vs baseline --seed 99"
    run_tamnhin child_cli run "$GOOD/seeded.toml" --draws 1000 --seed 7 --quiet --out "$WORK/child_cli"
    expect_status 0
    same_file <(cut -d, -f2- "$WORK/child_cli/forecast.csv") <(cut -d, -f2- "$WORK/seed7/forecast.csv") \
      "seeded.toml --seed 7 vs baseline --seed 7"
    ;;
  draws)
    run_tamnhin file_draws run "$base" --quiet --out "$WORK/file_draws"
    expect_status 0
    [ "$(json "$WORK/file_draws" scenarios.0.draws)" = 2000 ] ||
      fail "run.json: scenario draws $(json "$WORK/file_draws" scenarios.0.draws), the scenario says 2000"
    "$PY" "$OUTPUTS" validate "$WORK/file_draws" --model "$EXAMPLES/model.toml" --scenarios baseline \
      --draws 2000 --seed 2024 || fail "validate the run with the scenario's draws (see above)"
    run_tamnhin cli_draws run "$base" --draws 500 --quiet --out "$WORK/cli_draws"
    expect_status 0
    [ "$(json "$WORK/cli_draws" scenarios.0.draws)" = 500 ] ||
      fail "run.json: scenario draws $(json "$WORK/cli_draws" scenarios.0.draws) after --draws 500"
    [ "$(json "$WORK/cli_draws" draws)" = 500 ] ||
      fail "run.json: draws $(json "$WORK/cli_draws" draws) after --draws 500"
    # probability_se = sqrt(p(1-p)/500) shows the 500 draws were used.
    "$PY" "$OUTPUTS" validate "$WORK/cli_draws" --model "$EXAMPLES/model.toml" --scenarios baseline \
      --draws 500 --seed 2024 || fail "validate the --draws 500 run (see above)"
    tables_differ "$WORK/file_draws" "$WORK/cli_draws" "--draws 500 vs the scenario's 2000"
    ;;
  default)
    # No seed and no draws anywhere: 10000 draws and the documented default seed, the same
    # on every run (never time-based).
    documented=$("$TAMNHIN" run --help | grep -F -- '--seed' | grep -oE 'else [0-9]+' | head -1 | grep -oE '[0-9]+')
    [ -n "$documented" ] || fail "run --help does not document the default seed"
    run_tamnhin first run "$GOOD/crn_a.toml" --quiet --out "$WORK/first"
    expect_status 0
    sleep 1.1
    run_tamnhin second run "$GOOD/crn_a.toml" --quiet --out "$WORK/second"
    expect_status 0
    tables_same "$WORK/first" "$WORK/second" "two runs without any seed"
    [ "$(json "$WORK/first" scenarios.0.draws)" = 10000 ] ||
      fail "run.json: draws $(json "$WORK/first" scenarios.0.draws) without draws anywhere, expected 10000"
    [ "$(json "$WORK/first" scenarios.0.seed)" = "$documented" ] ||
      fail "run.json: seed $(json "$WORK/first" scenarios.0.seed) without a seed anywhere, --help documents $documented"
    run_tamnhin explicit run "$GOOD/crn_a.toml" --quiet --seed "$documented" --draws 10000 --out "$WORK/explicit"
    expect_status 0
    tables_same "$WORK/first" "$WORK/explicit" "no seed vs --seed $documented --draws 10000"
    ;;
  run_json_top_level)
    # run.json's top-level seed and draws must be the values the run used. Here every
    # scenario used the scenario file's seed = 2024 and draws = 2000 (no --seed, no --draws).
    run_tamnhin plain run "$base" "$EXAMPLES/health_first.toml" --quiet --out "$WORK/plain"
    expect_status 0
    for i in 0 1; do
      [ "$(json "$WORK/plain" scenarios.$i.seed)" = 2024 ] || fail "scenario $i seed is not 2024"
      [ "$(json "$WORK/plain" scenarios.$i.draws)" = 2000 ] || fail "scenario $i draws is not 2000"
    done
    [ "$(json "$WORK/plain" seed)" = 2024 ] ||
      fail "run.json top-level seed is $(json "$WORK/plain" seed), but every scenario ran with seed 2024"
    [ "$(json "$WORK/plain" draws)" = 2000 ] ||
      fail "run.json top-level draws is $(json "$WORK/plain" draws), but every scenario ran 2000 draws"
    # Scenarios with different seeds (99 in seeded.toml) and draws (1500 in overrides.toml):
    # no single value was used, so the top level says null and each scenario its own.
    run_tamnhin mixed run "$base" "$GOOD/seeded.toml" "$GOOD/overrides.toml" --quiet --out "$WORK/mixed"
    expect_status 0
    [ "$(json "$WORK/mixed" seed)" = null ] || fail "mixed seeds: top-level seed is $(json "$WORK/mixed" seed)"
    [ "$(json "$WORK/mixed" draws)" = null ] || fail "mixed draws: top-level draws is $(json "$WORK/mixed" draws)"
    [ "$(json "$WORK/mixed" scenarios.1.seed)" = 99 ] || fail "mixed: seeded.toml's seed is not 99"
    [ "$(json "$WORK/mixed" scenarios.2.draws)" = 1500 ] || fail "mixed: overrides.toml's draws is not 1500"
    # --seed and --draws make them one value again.
    run_tamnhin forced run "$base" "$GOOD/seeded.toml" "$GOOD/overrides.toml" --seed 3 --draws 400 \
      --quiet --out "$WORK/forced"
    expect_status 0
    [ "$(json "$WORK/forced" seed)" = 3 ] || fail "--seed 3: top-level seed is $(json "$WORK/forced" seed)"
    [ "$(json "$WORK/forced" draws)" = 400 ] || fail "--draws 400: top-level draws is $(json "$WORK/forced" draws)"
    ;;
  *)
    echo "usage: $0 TAMNHIN SRC precedence|draws|default|run_json_top_level" >&2
    exit 2
    ;;
esac
e2e_finish
