#!/usr/bin/env bash
# No half-written output: a failed run leaves an existing output directory exactly as it
# was (old files byte for byte, no temporary files); --out naming a regular file fails
# before any simulation.
# Usage: atomic.sh TAMNHIN SRC bad_input|runtime_error|mixed_files|out_is_file|no_temp_files
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
base=$EXAMPLES/baseline.toml

# failing_run NAME ARGS...: a run into a fresh copy of old outputs must exit 2 and change nothing.
failing_run() {
  local name=$1
  shift
  local out=$WORK/out_$name
  old_outputs "$out"
  run_tamnhin "$name" run "$@" --draws 500 --out "$out"
  expect_status 2
  unchanged "$out" "$name"
}

case "${3:-}" in
  bad_input)
    failing_run negative_sd "$BAD/negative_sd.toml"
    failing_run toml_syntax "$BAD/toml_syntax.toml"
    failing_run missing_model "$BAD/missing_model_file/scenario.toml"
    failing_run missing_file "$WORK/no_such_file.toml"
    ;;
  runtime_error)
    failing_run runtime_nan "$BAD/runtime_nan.toml"
    expect_stderr_contains "NaN"
    failing_run runtime_inf "$BAD/runtime_inf.toml"
    expect_stderr_contains "infinity"
    failing_run runtime_some "$BAD/runtime_nan_some_draws.toml"
    ;;
  mixed_files)
    # A good scenario next to a bad one: nothing is written, not even the good one's rows.
    failing_run good_then_bad "$base" "$BAD/negative_sd.toml"
    failing_run bad_then_good "$BAD/negative_sd.toml" "$base"
    failing_run good_then_runtime "$base" "$BAD/runtime_nan.toml"
    failing_run runtime_then_good "$BAD/runtime_nan.toml" "$base"
    ;;
  out_is_file)
    printf 'precious\n' >"$WORK/precious"
    cp "$WORK/precious" "$WORK/precious.orig"
    # The input would fail only at run time (NaN): a message about --out and not about the
    # NaN shows the check came before the simulation.
    run_tamnhin out_file run "$BAD/runtime_nan.toml" --out "$WORK/precious"
    expect_status 2
    expect_stderr_contains "precious"
    grep -q "NaN" "$WORK/out_file.err" && fail "out_file: simulated before rejecting --out"
    same_file "$WORK/precious.orig" "$WORK/precious" "--out naming a regular file"
    # A good input too: still exit 2, nothing written beside the file.
    run_tamnhin out_file_good run "$base" --out "$WORK/precious"
    expect_status 2
    expect_stderr_contains "precious"
    same_file "$WORK/precious.orig" "$WORK/precious" "--out naming a regular file (good input)"
    # Below a regular file: cannot be created.
    run_tamnhin out_below_file run "$base" --out "$WORK/precious/sub"
    expect_status 2
    same_file "$WORK/precious.orig" "$WORK/precious" "--out below a regular file"
    ;;
  no_temp_files)
    # A successful run over old outputs replaces the three tables, keeps the user's file and
    # leaves no temporary file behind.
    out=$WORK/out
    old_outputs "$out"
    run_tamnhin ok run "$base" --draws 500 --quiet --out "$out"
    expect_status 0
    listing=$(dir_listing "$out" | tr '\n' ' ')
    [ "$listing" = "./forecast.csv ./notes.txt ./report.html ./run.json ./scorecard.csv ./scorecard.txt ./tables.xlsx ./targets.csv " ] ||
      fail "after a successful run the out dir holds: $listing"
    same_file "$WORK/snapshot/notes.txt" "$out/notes.txt" "the user's notes.txt"
    for f in forecast.csv targets.csv run.json; do
      different_file "$WORK/snapshot/$f" "$out/$f" "$f was not replaced"
    done
    # And a fresh directory, several levels deep, is created.
    run_tamnhin deep run "$base" --draws 500 --quiet --out "$WORK/a/b/c"
    expect_status 0
    listing=$(dir_listing "$WORK/a/b/c" | tr '\n' ' ')
    [ "$listing" = "./forecast.csv ./report.html ./run.json ./scorecard.csv ./scorecard.txt ./tables.xlsx ./targets.csv " ] ||
      fail "a new out dir holds: $listing"
    ;;
  *)
    echo "usage: $0 TAMNHIN SRC bad_input|runtime_error|mixed_files|out_is_file|no_temp_files" >&2
    exit 2
    ;;
esac
e2e_finish
