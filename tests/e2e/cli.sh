#!/usr/bin/env bash
# Command-line surface: --help and --version exit 0; unusable options exit 2 before any
# work (no output directory is created).
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
base=$EXAMPLES/baseline.toml
out=$WORK/out

run_tamnhin help --help
expect_status 0
grep -q "run" "$WORK/help.out" && grep -q "check" "$WORK/help.out" ||
  fail "--help does not mention the run and check commands"

run_tamnhin version --version
expect_status 0
grep -qE '^tamnhin [0-9]+\.[0-9]+' "$WORK/version.out" || fail "--version prints: $(cat "$WORK/version.out")"

run_tamnhin run_help run --help
expect_status 0
for opt in --draws --seed --threads --sampling --out; do
  grep -qF -- "$opt" "$WORK/run_help.out" || fail "run --help does not mention $opt"
done
run_tamnhin check_help check --help
expect_status 0

# Each of these must exit 2 and create nothing.
bad_options=(
  "no_command"
  "unknown_command frobnicate"
  "run_no_files run --out $out"
  "check_no_files check"
  "unknown_option run $base --bogus --out $out"
  "sampling_bogus run $base --sampling bogus --out $out"
  "draws_zero run $base --draws 0 --out $out"
  "draws_negative run $base --draws -5 --out $out"
  "draws_not_a_number run $base --draws many --out $out"
  "threads_zero run $base --threads 0 --out $out"
  "batch_zero run $base --batch 0 --out $out"
  "seed_not_a_number run $base --seed abc --out $out"
  "seed_missing_value run $base --out $out --seed"
)
for entry in "${bad_options[@]}"; do
  read -r -a words <<<"$entry"
  name=${words[0]}
  run_tamnhin "$name" "${words[@]:1}"
  expect_status 2
  [ -s "$WORK/$name.err" ] || fail "$name: nothing on stderr"
  [ -e "$out" ] && { fail "$name: created the output directory"; rm -rf "$out"; }
done

e2e_finish
