#!/usr/bin/env bash
# The human outputs from the command line: scorecard.txt is what stdout shows, --lang,
# --years, --no-report, --iamc, and their bad input (exit 2, a clear message, nothing
# written). Usage: reports.sh TAMNHIN SRC
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
files=("$EXAMPLES/baseline.toml" "$EXAMPLES/health_first.toml")

out=$WORK/out
run_tamnhin en run "${files[@]}" --draws 300 --out "$out"
expect_status 0
# stdout is the scorecard, then one "wrote" line.
head -n -1 "$WORK/en.out" >"$WORK/en.card"
same_file "$out/scorecard.txt" "$WORK/en.card" "scorecard.txt vs stdout"
grep -q "^wrote .*scorecard.txt.*report.html" "$WORK/en.out" || fail "the wrote line lacks the new files"
[ "$(head -c 3 "$out/scorecard.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
  fail "scorecard.csv has no UTF-8 BOM"
[ "$(head -c 8 "$out/forecast.csv")" = "scenario" ] || fail "forecast.csv must not start with a BOM"
grep -q "http" "$out/report.html" && fail "report.html names a network address"
grep -q "<script" "$out/report.html" && fail "report.html holds a script"
[ "$(head -c 2 "$out/tables.xlsx")" = PK ] || fail "tables.xlsx is not a zip"
[ -f "$out/iamc.csv" ] && fail "iamc.csv written without --iamc"

# The same run with SOURCE_DATE_EPOCH: byte-identical report and workbook.
SOURCE_DATE_EPOCH=1764410400 run_tamnhin d1 run "${files[@]}" --draws 300 --quiet --out "$WORK/d"
mv "$WORK/d" "$WORK/d1"
SOURCE_DATE_EPOCH=1764410400 run_tamnhin d2 run "${files[@]}" --draws 300 --quiet --out "$WORK/d"
mv "$WORK/d" "$WORK/d2"
for f in report.html tables.xlsx scorecard.txt scorecard.csv; do
  same_file "$WORK/d1/$f" "$WORK/d2/$f" "$f of two equal runs"
done

# Vietnamese.
run_tamnhin vi run "${files[@]}" --draws 300 --lang vi --no-report --iamc --out "$WORK/vi"
expect_status 0
grep -q "khả năng đạt mục tiêu" "$WORK/vi.out" || fail "--lang vi: the scorecard is not in Vietnamese"
[ -f "$WORK/vi/report.html" ] && fail "--no-report wrote report.html"
head -1 "$WORK/vi/iamc.csv" | grep -q "^model,scenario,region,variable,unit,2023,2024," ||
  fail "iamc.csv header: $(head -1 "$WORK/vi/iamc.csv")"

# Bad input: exit 2, a message naming the option, nothing written.
run_tamnhin lang run "${files[@]}" --lang fr --out "$WORK/bad_lang"
expect_status 2
expect_stderr_contains "--lang"
[ -e "$WORK/bad_lang" ] && fail "--lang fr created the out dir"
run_tamnhin years run "${files[@]}" --years 2030,2050 --out "$WORK/bad_years"
expect_status 2
expect_stderr_contains "--years: 2050 is outside the simulated years"
[ -n "$(ls -A "$WORK/bad_years" 2>/dev/null)" ] && fail "--years 2050 wrote files"
# An unwritable report path: report.html is a directory. Nothing else changes either.
mkdir -p "$WORK/blocked/report.html"
run_tamnhin blocked run "${files[@]}" --draws 300 --out "$WORK/blocked"
expect_status 2
expect_stderr_contains "report.html: cannot move into place"
[ -e "$WORK/blocked/forecast.csv" ] && fail "a failed report left forecast.csv behind"
ls -A "$WORK/blocked" | grep -q '^\.' && fail "temporary files left: $(ls -A "$WORK/blocked")"
e2e_finish
