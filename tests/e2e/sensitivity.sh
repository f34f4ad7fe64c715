#!/usr/bin/env bash
# `sensitivity` and `discover` on models with known answers (tests/data/sensitivity),
# determinism across thread counts, and bad input (exit 2, a located message, nothing
# written).
# Usage: sensitivity.sh TAMNHIN SRC sobol|ishigami|g_function|morris|yearly|discover|save_draws|determinism|bad
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
PY=${PYTHON3:-python3}
DATA=$SRC/tests/data/sensitivity

# csv_value FILE OUTPUT FACTOR COLUMN: one cell of sensitivity.csv.
csv_value() {
  "$PY" - "$@" <<'PYEOF'
import csv, sys
path, output, factor, column = sys.argv[1:5]
for row in csv.DictReader(open(path)):
    if row["output"] == output and row["factor"] == factor:
        print(row[column]); break
else:
    print("missing")
PYEOF
}

# near VALUE TRUTH TOL WHAT
near() {
  "$PY" -c "import sys; v=float('$1') if '$1' not in ('','missing') else None; sys.exit(0 if v is not None and abs(v-$2)<=$3 else 1)" ||
    fail "$4: $1, expected $2 +- $3"
}

case "${3:-}" in
  sobol)
    # 4096 Sobol' rows: the estimators' errors are below 0.02 here (unit tests check the
    # estimators against closed forms with tolerances from the bootstrap).
    run_tamnhin sobol sensitivity "$DATA/linear.toml" --output y@2030 --samples 4096 \
      --out "$WORK/sobol" --quiet
    if expect_status 0; then
      f=$WORK/sobol/sensitivity.csv
      [ "$(head -1 "$f")" = "output,factor,method,S1,S1_low,S1_high,ST,ST_low,ST_high,mu_star,sigma" ] ||
        fail "sensitivity.csv header: $(head -1 "$f")"
      near "$(csv_value "$f" y@2030 a S1)" 0.5714 0.02 "S1(a)"
      near "$(csv_value "$f" y@2030 a ST)" 0.5714 0.02 "ST(a)"
      near "$(csv_value "$f" y@2030 b S1)" 0.4286 0.02 "S1(b)"
      near "$(csv_value "$f" y@2030 b ST)" 0.4286 0.02 "ST(b)"
      near "$(csv_value "$f" y@2030 c ST)" 0 1e-12 "ST(c), inert"
      [ "$(csv_value "$f" y@2030 yearly_draws ST)" = missing ] ||
        fail "a model without yearly randomness has no yearly_draws row"
      [ "$(csv_value "$f" y@2030 a mu_star)" = "" ] || fail "sobol rows leave mu_star empty"
      # Ranked: a first.
      [ "$(sed -n 2p "$f" | cut -d, -f2)" = a ] || fail "rows are not ranked by ST"
    fi
    # A target's indicator as the output.
    run_tamnhin target sensitivity "$DATA/linear.toml" --output y@2030:target --samples 1024 \
      --out "$WORK/target" --quiet
    expect_status 0 && grep -q '^y@2030:target,a,sobol,' "$WORK/target/sensitivity.csv" ||
      fail "a target's indicator as output"
    ;;
  ishigami)
    # The Ishigami function through a model file (sin is in the language): closed-form
    # indices within two widths of the 95% bootstrap interval plus 0.01.
    run_tamnhin ish sensitivity "$DATA/ishigami.toml" --output y@2025 --samples 8192 \
      --out "$WORK/ish" --quiet
    if expect_status 0; then
      "$PY" - "$WORK/ish/sensitivity.csv" <<'PYEOF' || fail "Ishigami indices (see above)"
import csv, math, sys
a, b, pi = 7.0, 0.1, math.pi
v1 = b * pi**4 / 5 + b**2 * pi**8 / 50 + 0.5
v2 = a**2 / 8
v13 = b**2 * pi**8 / 18 - b**2 * pi**8 / 50
v = v1 + v2 + v13
truth = {"x1": (v1 / v, (v1 + v13) / v), "x2": (v2 / v, v2 / v), "x3": (0.0, v13 / v)}
rows = {r["factor"]: r for r in csv.DictReader(open(sys.argv[1]))}
ok = True
for k, (s1, st) in truth.items():
    for col, t in (("S1", s1), ("ST", st)):
        est, lo, hi = (float(rows[k][c]) for c in (col, col + "_low", col + "_high"))
        if abs(est - t) > 2 * (hi - lo) + 0.01:
            ok = False
            print(f"{k} {col}: {est} [{lo}, {hi}], closed form {t}", file=sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
    fi
    ;;
  g_function)
    # Closed-form indices, checked within two widths of the 95% bootstrap interval plus
    # 0.01 (4 standard errors and a little for the interval's own noise).
    run_tamnhin g sensitivity "$DATA/g_function.toml" --output g@2025 --samples 4096 \
      --out "$WORK/g" --quiet
    if expect_status 0; then
      "$PY" - "$WORK/g/sensitivity.csv" <<'PYEOF' || fail "g-function indices (see above)"
import csv, sys
a = {"x1": 0, "x2": 1, "x3": 9, "x4": 99}
v = {k: 1 / (3 * (1 + x) ** 2) for k, x in a.items()}
prod = 1
for x in v.values():
    prod *= 1 + x
total = prod - 1
ok = True
rows = {r["factor"]: r for r in csv.DictReader(open(sys.argv[1]))}
for k in a:
    truth = {"S1": v[k] / total, "ST": v[k] * prod / (1 + v[k]) / total}
    for col, t in truth.items():
        est, lo, hi = (float(rows[k][c]) for c in (col, col + "_low", col + "_high"))
        if abs(est - t) > 2 * (hi - lo) + 0.01:
            ok = False
            print(f"{k} {col}: {est} [{lo}, {hi}], closed form {t}", file=sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
    fi
    ;;
  morris)
    run_tamnhin morris sensitivity "$DATA/linear.toml" --output y@2030 --method morris \
      --samples 20 --out "$WORK/morris" --quiet
    if expect_status 0; then
      f=$WORK/morris/sensitivity.csv
      [ "$(csv_value "$f" y@2030 c mu_star)" = 0 ] || fail "mu*(c) of an inert parameter: $(csv_value "$f" y@2030 c mu_star)"
      [ "$(csv_value "$f" y@2030 c sigma)" = 0 ] || fail "sigma(c) of an inert parameter"
      [ "$(csv_value "$f" y@2030 a S1)" = "" ] || fail "morris rows leave S1 empty"
      # b is uniform on [0, 3]: a step of 1/2 in probability moves it by 1.5, y by 1.5,
      # so its elementary effect is 1.5 / 0.5 = 3 in every trajectory.
      near "$(csv_value "$f" y@2030 b mu_star)" 3 1e-9 "mu*(b)"
      near "$(csv_value "$f" y@2030 b sigma)" 0 1e-9 "sigma(b)"
    fi
    ;;
  yearly)
    run_tamnhin yearly sensitivity "$DATA/noise.toml" --output y@2030 --samples 2048 \
      --out "$WORK/yearly" --quiet
    if expect_status 0; then
      f=$WORK/yearly/sensitivity.csv
      # Within two widths of the 95% bootstrap interval (about 4 standard errors; at
      # N = 2048 the interval is about 0.12 wide).
      for col in ST S1; do
        v=$(csv_value "$f" y@2030 yearly_draws $col)
        lo=$(csv_value "$f" y@2030 yearly_draws ${col}_low)
        hi=$(csv_value "$f" y@2030 yearly_draws ${col}_high)
        "$PY" -c "import sys; v,lo,hi=$v,$lo,$hi; sys.exit(0 if abs(v-1) <= 2*(hi-lo) and hi-lo < 0.2 else 1)" ||
          fail "$col(yearly_draws) = $v [$lo, $hi], expected 1"
      done
      near "$(csv_value "$f" y@2030 c ST)" 0 1e-12 "ST(c)"
    fi
    ;;
  discover)
    run_tamnhin discover discover "$DATA/planted.toml" --target y@2030 --draws 5000 \
      --out "$WORK/discover" --quiet
    if expect_status 0; then
      f=$WORK/discover/discover.csv
      [ "$(head -1 "$f")" = "box,parameter,lower,upper,coverage,density,mass" ] ||
        fail "discover.csv header: $(head -1 "$f")"
      "$PY" - "$f" <<'PYEOF' || fail "box 1 is the planted box (see above)"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["box"] == "1"]
params = {r["parameter"]: r for r in rows}
ok = set(params) == {"a", "b"}
ok = ok and abs(float(params["a"]["lower"]) - 0.7) < 0.03 and abs(float(params["b"]["upper"]) - 0.3) < 0.03
ok = ok and float(rows[0]["density"]) >= 0.95 and float(rows[0]["coverage"]) >= 0.9
if not ok:
    print(rows, file=sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
      head -1 "$WORK/discover/discover_trajectory.csv" | grep -q '^box,step,phase,coverage,density,mass,restricted,chosen$' ||
        fail "discover_trajectory.csv header"
    fi
    ;;
  save_draws)
    run_tamnhin save run "$DATA/linear.toml" "$DATA/planted_scenario.toml" --draws 100 \
      --save-draws y@2030,y@2024 --out "$WORK/save" --quiet
    if expect_status 0; then
      f=$WORK/save/draws.csv
      [ "$(head -1 "$f")" = "scenario,draw,a,b,c,d,y@2030,y@2024" ] || fail "draws.csv header: $(head -1 "$f")"
      [ "$(wc -l <"$f")" -eq 201 ] || fail "draws.csv rows: $(wc -l <"$f")"
      "$PY" - "$f" <<'PYEOF' || fail "draws.csv values (see above)"
import csv, sys
ok = True
for r in csv.DictReader(open(sys.argv[1])):
    if r["scenario"] == "baseline" and r["d"] != "":
        ok = False  # linear.toml has no d
    if r["c"] == "" or r["a"] == "":
        ok = False
    a, b = float(r["a"]), float(r["b"])
    y = 2 * a + b if r["d"] == "" else min(a - 0.7, 0.3 - b)
    if abs(float(r["y@2030"]) - y) > 1e-9 * max(1, abs(y)):
        ok = False
        print(r, file=sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
    fi
    run_tamnhin params run "$DATA/linear.toml" --draws 10 --save-draws params --out "$WORK/params" --quiet
    expect_status 0 && [ "$(head -1 "$WORK/params/draws.csv")" = "scenario,draw,a,b,c" ] ||
      fail "--save-draws params"
    ;;
  determinism)
    for t in 1 2; do
      run_tamnhin "sens$t" sensitivity "$DATA/noise.toml" --output y@2030 --samples 256 \
        --threads $t --batch $((t * 37)) --out "$WORK/sens$t" --quiet
      expect_status 0
      run_tamnhin "disc$t" discover "$DATA/planted.toml" --target y@2030 --draws 3000 \
        --threads $t --batch $((t * 37)) --out "$WORK/disc$t" --quiet
      expect_status 0
    done
    same_file "$WORK/sens1/sensitivity.csv" "$WORK/sens2/sensitivity.csv" "sensitivity.csv"
    same_file "$WORK/disc1/discover.csv" "$WORK/disc2/discover.csv" "discover.csv"
    same_file "$WORK/disc1/discover_trajectory.csv" "$WORK/disc2/discover_trajectory.csv" \
      "discover_trajectory.csv"
    ;;
  bad)
    # bad_run NAME EXPECTED-TEXT ARGS...: exit 2, the text on stderr, no output directory.
    bad_run() {
      local name=$1 text=$2
      shift 2
      run_tamnhin "$name" "$@" --out "$WORK/$name"
      expect_status 2 && expect_stderr_contains "$text"
      [ ! -e "$WORK/$name/sensitivity.csv" ] && [ ! -e "$WORK/$name/discover.csv" ] ||
        fail "$name: wrote outputs"
    }
    bad_run unknown_output "the model has no variable 'z'" sensitivity "$DATA/linear.toml" --output z@2030
    bad_run bad_year "outside the simulated years 2024..2030" sensitivity "$DATA/linear.toml" --output y@2040
    bad_run bad_spec "expected VAR@YEAR" sensitivity "$DATA/linear.toml" --output y2030
    bad_run no_params "no uncertain parameter" sensitivity "$DATA/constant.toml" --output y@2030
    bad_run few_samples "at least 64 samples" sensitivity "$DATA/linear.toml" --output y@2030 --samples 10
    bad_run unknown_target "no target on 'y' in 2029" sensitivity "$DATA/linear.toml" --output y@2029:target
    bad_run discover_target "no target on 'y' in 2028" discover "$DATA/planted.toml" --target y@2028
    bad_run discover_no_params "no uncertain parameter" discover "$DATA/constant.toml" --target y@2030
    bad_run discover_unknown "no target on 'z' in 2030" discover "$DATA/planted.toml" --target z@2030
    bad_run save_unknown "the model has no variable 'z'" run "$DATA/linear.toml" --save-draws z@2030
    bad_run save_year "outside the simulated years" run "$DATA/linear.toml" --save-draws y@1990
    bad_run save_spec "expected VAR@YEAR or 'params'" run "$DATA/linear.toml" --save-draws y
    bad_run save_huge "over the 1024 MiB limit" run "$DATA/linear.toml" --draws 100000000 --save-draws y@2030
    [ ! -e "$WORK/save_huge/forecast.csv" ] || fail "save_huge: wrote forecast.csv"
    bad_run odd_levels "must be even" sensitivity "$DATA/linear.toml" --output y@2030 --method morris --levels 5
    ;;
  *)
    echo "unknown case '${3:-}'" >&2
    exit 2
    ;;
esac
e2e_finish
