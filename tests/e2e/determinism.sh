#!/usr/bin/env bash
# Same seed, same bytes: forecast.csv and targets.csv do not depend on --threads or --batch.
# Usage: determinism.sh TAMNHIN SRC mc|lhs|sobol|runtime_error
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
mode=${3:-}
files=("$EXAMPLES/baseline.toml" "$EXAMPLES/health_first.toml")

case "$mode" in
  mc | lhs | sobol)
    # 2500 draws: not a multiple of any batch size below, so the last batch is partial.
    common=(--draws 2500 --seed 77 --sampling "$mode" --quiet)
    configs=("1 256" "2 256" "1 64" "2 64" "2 1000" "2 1" "2 2500" "1 4096")
    ref=
    for c in "${configs[@]}"; do
      read -r threads batch <<<"$c"
      out=$WORK/t${threads}_b${batch}
      run_tamnhin "t${threads}_b${batch}" run "${files[@]}" "${common[@]}" \
        --threads "$threads" --batch "$batch" --out "$out"
      expect_status 0 || continue
      if [ -z "$ref" ]; then
        ref=$out
        continue
      fi
      for f in forecast.csv targets.csv; do
        same_file "$ref/$f" "$out/$f" "$mode: $f of --threads 1 --batch 256 vs --threads $threads --batch $batch"
      done
    done
    # The design really changes the parameter draws (else this test proves nothing).
    if [ "$mode" != mc ]; then
      run_tamnhin mc run "${files[@]}" --draws 2500 --seed 77 --sampling mc --quiet --out "$WORK/mc"
      expect_status 0 && different_file "$ref/forecast.csv" "$WORK/mc/forecast.csv" \
        "$mode vs mc forecast.csv"
    fi
    ;;
  runtime_error)
    # A NaN in some draws only: the same message, naming the same draw, whatever the
    # threads and batches.
    model=$BAD/runtime_nan_some_draws.toml
    ref=
    for c in "1 256" "2 256" "2 7" "2 1" "1 1000"; do
      read -r threads batch <<<"$c"
      run_tamnhin "e_t${threads}_b${batch}" run "$model" --draws 3000 --threads "$threads" \
        --batch "$batch" --out "$WORK/out"
      expect_status 2
      grep -qE "draw [0-9]+" "$WORK/e_t${threads}_b${batch}.err" || fail "no draw named"
      if [ -z "$ref" ]; then
        ref=$WORK/e_t${threads}_b${batch}.err
      else
        same_file "$ref" "$WORK/e_t${threads}_b${batch}.err" \
          "the error of --threads 1 --batch 256 vs --threads $threads --batch $batch"
      fi
    done
    ;;
  *)
    echo "usage: $0 TAMNHIN SRC mc|lhs|sobol|runtime_error" >&2
    exit 2
    ;;
esac
e2e_finish
