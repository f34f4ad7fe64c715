#!/usr/bin/env bash
# Scale-out over MPI (docs/scale.md): `mpirun -n 2` and `-n 3` write every output file
# byte for byte as one process does; run.json differs only in `processes` (the rank count)
# and `wall_seconds`. Failures end every rank with one message and nothing written.
# Usage: mpi.sh TAMNHIN SRC run|sweep|seek|optimize|sensitivity|discover|errors
# Exit 77 (skipped) when mpirun is missing.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
mode=${3:-}
MPIRUN=$(command -v mpirun) || {
  echo "mpirun not found: skipped"
  exit 77
}
DATA=$SRC/tests/data/mpi
# --bind-to none below: Open MPI binds each of up to 2 ranks to one core, and a rank could
# then run one thread only. Between the ranks of this one machine: shared memory, without
# probing the network (a container may have none) or needing ptrace rights.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
# Each test its own session directory: mpiruns of tests run in parallel raced for the
# shared one under /tmp (ORTE_ERROR_LOG in session_dir.c).
export OMPI_MCA_orte_tmpdir_base=$WORK
# Open MPI keeps some of its allocations until exit, from components it has unloaded by
# then: under ASan, LeakSanitizer reports them with no module to name or suppress. The
# ranks run without leak detection; the one-process runs (and every other test) keep it.
MPI_ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# The human outputs show this date rather than the time of the run.
export SOURCE_DATE_EPOCH=1700000000

# in_dir NAME RANKS ARGS...: runs tamnhin ARGS in $WORK/NAME with RANKS processes (1: no
# mpirun at all), so that --out is the same relative path and every run's command line
# is the same.
in_dir() {
  local name=$1 ranks=$2
  shift 2
  mkdir -p "$WORK/$name"
  if [ "$ranks" -eq 1 ]; then
    (cd "$WORK/$name" && "$TAMNHIN" "$@") >"$WORK/$name.out" 2>"$WORK/$name.err"
  else
    (cd "$WORK/$name" && export ASAN_OPTIONS="$MPI_ASAN_OPTIONS" &&
      "$MPIRUN" --oversubscribe --bind-to none --allow-run-as-root -n "$ranks" "$TAMNHIN" "$@") \
      >"$WORK/$name.out" 2>"$WORK/$name.err"
  fi
  STATUS=$?
  LAST=$name
}

# same_outputs ARGS...: one process, then 2 and 3 ranks; every file compared.
same_outputs() {
  local ranks f listing
  in_dir one 1 "$@" --out out
  expect_status 0 || return
  listing=$(dir_listing "$WORK/one/out" | tr '\n' ' ')
  for ranks in 2 3; do
    in_dir "n$ranks" "$ranks" "$@" --out out
    expect_status 0 || continue
    [ "$(dir_listing "$WORK/n$ranks/out" | tr '\n' ' ')" = "$listing" ] ||
      fail "$ranks ranks wrote $(dir_listing "$WORK/n$ranks/out" | tr '\n' ' '), one process $listing"
    for f in "$WORK"/one/out/*; do
      f=$(basename "$f")
      [ "$f" = run.json ] && continue
      same_file "$WORK/one/out/$f" "$WORK/n$ranks/out/$f" "$f of $ranks ranks vs one process"
    done
    "${PYTHON3:-python3}" - "$WORK/one/out/run.json" "$WORK/n$ranks/out/run.json" "$ranks" <<'EOF' ||
import json, sys
one, many = (json.load(open(p), object_pairs_hook=list) for p in sys.argv[1:3])
ranks = int(sys.argv[3])
# The fields that may differ: the number of processes and the time the run took.
varying = {"processes", "wall_seconds"}
got = dict(many)
assert dict(one)["processes"] == 1, f"one process: processes {dict(one)['processes']}"
assert got["processes"] == ranks, f"{ranks} ranks: processes {got['processes']}"
strip = lambda pairs: [(k, v) for k, v in pairs if k not in varying]
assert strip(one) == strip(many), "run.json differs beyond processes and wall_seconds"
EOF
      fail "run.json of $ranks ranks vs one process"
  done
}

case "$mode" in
  run)
    # Two scenarios (paired comparisons), clamped draws, per-draw outputs, every table
    # and report; 1000 draws in batches of 64: 16 batches, split 8/8 and 5/5/6.
    same_outputs run "$DATA/district.toml" "$DATA/clinics_first.toml" --draws 1000 --batch 64 \
      --threads 2 --save-draws enrolment@2030,doctors@2032 --iamc --quiet
    grep -q '"low": 0' "$WORK/one/out/run.json" && grep -q '"high": [1-9]' "$WORK/one/out/run.json" ||
      fail "the run clamps no draw: the clamp counts are not exchanged between ranks"
    # One batch of draws: rank 0 simulates them all, the other ranks none, yet each still
    # summarises and compares its share of the columns.
    same_outputs run "$DATA/district.toml" "$DATA/clinics_first.toml" --draws 50 --batch 64 \
      --threads 1 --quiet
    ;;
  sweep)
    same_outputs sweep "$DATA/district.toml" --vary schools=0.2:0.8:0.2 --draws 700 --batch 64 \
      --threads 2 --quiet
    ;;
  seek)
    same_outputs seek "$DATA/district.toml" --lever schools --range 0:1 --target enrolment@2030 \
      --draws 700 --batch 64 --threads 2 --quiet
    ;;
  optimize)
    same_outputs optimize "$DATA/district.toml" --over schools,clinics --evaluations 12 \
      --draws 500 --batch 64 --threads 2 --quiet
    ;;
  sensitivity)
    same_outputs sensitivity "$DATA/district.toml" --output doctors@2030 --samples 128 \
      --batch 64 --threads 2 --quiet
    ;;
  discover)
    same_outputs discover "$DATA/district.toml" --target doctors@2030 --draws 700 --batch 64 \
      --threads 2 --quiet
    ;;
  errors)
    # A NaN in some draws, found by different ranks: the message of one process (the
    # lowest failing batch of the whole run), once, exit 2, the old outputs untouched.
    model=$SRC/tests/data/bad/runtime_nan_some_draws.toml
    in_dir one 1 run "$model" --draws 3000 --batch 7 --out out
    expect_status 2
    for ranks in 2 3; do
      old_outputs "$WORK/n$ranks/out"
      in_dir "n$ranks" "$ranks" run "$model" --draws 3000 --batch 7 --out out
      expect_status 2
      unchanged "$WORK/n$ranks/out" "NaN with $ranks ranks"
      # mpirun adds its own notice after tamnhin's message.
      head -n "$(wc -l <"$WORK/one.err")" "$WORK/n$ranks.err" >"$WORK/n$ranks.head"
      same_file "$WORK/one.err" "$WORK/n$ranks.head" "the error of $ranks ranks vs one process"
      [ "$(grep -c "vars.root" "$WORK/n$ranks.err")" -eq 1 ] || fail "$ranks ranks: not one message"
    done
    # Bad input is found by every rank alike: exit 2, printed once.
    in_dir bad 2 run "$DATA/no_such_file.toml" --out out
    expect_status 2
    [ "$(grep -c "no_such_file.toml" "$WORK/bad.err")" -eq 1 ] || fail "bad input: not one message"
    # An unusable --out is found by rank 0 alone and reported by every rank.
    printf 'a file\n' >"$WORK/not_a_dir"
    in_dir out_is_file 3 run "$DATA/district.toml" --draws 100 --out "$WORK/not_a_dir"
    expect_status 2
    # One rank killed mid-run: mpirun ends the others, exit non-zero, nothing written.
    old_outputs "$WORK/kill/out"
    (cd "$WORK/kill" && export ASAN_OPTIONS="$MPI_ASAN_OPTIONS" && exec "$MPIRUN" --oversubscribe --bind-to none --allow-run-as-root -n 2 "$TAMNHIN" run \
      "$DATA/district.toml" "$DATA/clinics_first.toml" --draws 300000 --threads 1 --out out \
      --quiet) >"$WORK/kill.out" 2>"$WORK/kill.err" &
    launcher=$!
    victim=
    for _ in $(seq 100); do
      for p in $(pgrep -P "$launcher" 2>/dev/null); do
        tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && victim=$p
      done
      [ -n "$victim" ] && break
      sleep 0.05
    done
    if [ -z "$victim" ]; then
      wait "$launcher"
      note "no rank 1 to kill was found (the launcher keeps its ranks elsewhere): not staged"
    else
      sleep 0.3
      kill -KILL "$victim"
      wait "$launcher"
      status=$?
      [ "$status" -ne 0 ] || fail "a killed rank: mpirun exited 0"
      unchanged "$WORK/kill/out" "a killed rank"
    fi
    ;;
  *)
    echo "usage: $0 TAMNHIN SRC run|sweep|seek|optimize|sensitivity|discover|errors" >&2
    exit 2
    ;;
esac
e2e_finish
