#!/usr/bin/env bash
# Common random numbers: draw i sees the same shocks in every scenario and after unrelated
# model edits, so differences come from the policy, not from the noise.
# Usage: crn.sh TAMNHIN SRC examples|unrelated_variable|reordered_model [mc|lhs|sobol]
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
PY=${PYTHON3:-python3}
OUTPUTS=$(dirname "$0")/outputs.py

case "${3:-}" in
  examples)
    # health_first changes only the lever health_share. Reading model.toml:
    #   independent of it: growth_path (path), growth_shock (shock; not in forecast.csv,
    #     no unit), gdp_growth, inflation, grdp_per_capita, unemployment_rate (okun is
    #     "overridden" with its own value), housing_m2, index_check
    #   dependent: health_share itself; health_spending (not in forecast.csv: no unit);
    #     insurance_coverage (lookup of health_spending); doctors_per_10k (through
    #     prev(health_spending, 6), so from 2031); campaign (prev(insurance_coverage); a
    #     0/1 flag that may or may not change, so not asserted either way)
    same=growth_path,gdp_growth,inflation,grdp_per_capita,unemployment_rate,housing_m2,index_check
    differ=health_share,insurance_coverage,doctors_per_10k
    for sampling in mc lhs sobol; do
      out=$WORK/$sampling
      run_tamnhin "$sampling" run "$EXAMPLES/baseline.toml" "$EXAMPLES/health_first.toml" \
        --draws 2000 --sampling "$sampling" --quiet --out "$out"
      expect_status 0 || continue
      "$PY" "$OUTPUTS" crn "$out" --a baseline --b health_first --same "$same" --differ "$differ" ||
        fail "$sampling: common random numbers across scenarios (see above)"
      # The targets of independent variables too.
      for v in grdp_per_capita unemployment_rate housing_m2; do
        a=$(grep "^baseline,$v," "$out/targets.csv" | cut -d, -f2-)
        b=$(grep "^health_first,$v," "$out/targets.csv" | cut -d, -f2-)
        [ -n "$a" ] && [ "$a" = "$b" ] || fail "$sampling: targets.csv rows of $v differ: '$a' vs '$b'"
      done
      # A scenario's rows do not depend on the other scenarios of the run.
      run_tamnhin "${sampling}_alone" run "$EXAMPLES/health_first.toml" --draws 2000 \
        --sampling "$sampling" --quiet --out "$WORK/${sampling}_alone"
      if expect_status 0; then
        grep '^health_first,' "$out/forecast.csv" >"$WORK/${sampling}_pair_rows"
        tail -n +2 "$WORK/${sampling}_alone/forecast.csv" >"$WORK/${sampling}_alone_rows"
        same_file "$WORK/${sampling}_pair_rows" "$WORK/${sampling}_alone_rows" \
          "$sampling: health_first rows run alone vs next to baseline"
      fi
      a=$(grep "^baseline,insurance_coverage," "$out/targets.csv" | cut -d, -f2-)
      b=$(grep "^health_first,insurance_coverage," "$out/targets.csv" | cut -d, -f2-)
      [ "$a" != "$b" ] || fail "$sampling: insurance_coverage targets identical across scenarios"
    done
    ;;
  unrelated_variable)
    # crn_b.toml = crn_a.toml + random variables before and after the others.
    for sampling in mc lhs sobol; do
      run_tamnhin "a_$sampling" run "$GOOD/crn_a.toml" --draws 1000 --seed 5 \
        --sampling "$sampling" --quiet --out "$WORK/a_$sampling"
      expect_status 0 || continue
      run_tamnhin "b_$sampling" run "$GOOD/crn_b.toml" --draws 1000 --seed 5 \
        --sampling "$sampling" --quiet --out "$WORK/b_$sampling"
      expect_status 0 || continue
      "$PY" "$OUTPUTS" shared "$WORK/a_$sampling" "$WORK/b_$sampling" ||
        fail "$sampling: adding unrelated variables changed the draws of the others"
      a=$(grep ',jobless,' "$WORK/a_$sampling/targets.csv")
      b=$(grep ',jobless,' "$WORK/b_$sampling/targets.csv")
      [ "$a" = "$b" ] || fail "$sampling: targets.csv row of jobless changed: '$a' vs '$b'"
    done
    ;;
  reordered_model)
    # crn_c.toml = crn_a.toml with params, shocks and vars written in another order. The
    # contract: site keys come from names, never from parse order.
    sampling=${4:?sampling design}
    run_tamnhin a run "$GOOD/crn_a.toml" --draws 1000 --seed 5 --sampling "$sampling" --quiet \
      --out "$WORK/a"
    expect_status 0
    run_tamnhin c run "$GOOD/crn_c.toml" --draws 1000 --seed 5 --sampling "$sampling" --quiet \
      --out "$WORK/c"
    expect_status 0
    "$PY" "$OUTPUTS" shared "$WORK/a" "$WORK/c" ||
      fail "$sampling: writing the model in another order changed the draws"
    ;;
  *)
    echo "usage: $0 TAMNHIN SRC examples|unrelated_variable|reordered_model [sampling]" >&2
    exit 2
    ;;
esac
e2e_finish
