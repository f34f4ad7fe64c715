#!/usr/bin/env bash
# `check FILE...` prints every problem of every file in one run and exits 2 if any.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"

# Two bad files: the problems of both.
run_tamnhin two_bad check "$BAD/negative_sd.toml" "$BAD/unknown_name.toml"
expect_status 2
expect_stderr_contains "negative_sd.toml:8:44:"
expect_stderr_contains "unknown_name.toml:14:26:"
expect_stderr_contains "2 problems"

# Order of the files does not lose any.
run_tamnhin two_bad_reversed check "$BAD/unknown_name.toml" "$BAD/negative_sd.toml"
expect_status 2
expect_stderr_contains "negative_sd.toml:8:44:"
expect_stderr_contains "unknown_name.toml:14:26:"

# Three bad files of different kinds (TOML syntax, a scenario, an equation).
run_tamnhin three_bad check "$BAD/toml_syntax.toml" "$BAD/scenario_unknown_var/scenario.toml" \
  "$BAD/wrong_arity.toml"
expect_status 2
expect_stderr_contains "toml_syntax.toml:4:"
expect_stderr_contains "scenario.toml:6:7:"
expect_stderr_contains "wrong_arity.toml:10:9:"
expect_stderr_contains "3 problems"

# A good file next to a bad one: still exit 2, and the bad one's problem is shown.
run_tamnhin good_and_bad check "$EXAMPLES/baseline.toml" "$BAD/negative_sd.toml"
expect_status 2
expect_stderr_contains "negative_sd.toml:8:44:"
grep -qF "baseline.toml" "$WORK/good_and_bad.err" && fail "good_and_bad: blames the good file"

# A bad file and a missing one.
run_tamnhin bad_and_missing check "$BAD/negative_sd.toml" "$WORK/nowhere.toml"
expect_status 2
expect_stderr_contains "negative_sd.toml:8:44:"
expect_stderr_contains "nowhere.toml"

# Two files with three problems each: all six in one run (the bad.three_* cases check
# each file alone).
run_tamnhin mixed_with_other check "$BAD/three_load_mistakes.toml" "$BAD/three_equation_mistakes.toml"
expect_status 2
expect_stderr_contains "6 problems"

e2e_finish
