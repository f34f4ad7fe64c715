#!/usr/bin/env python3
"""Reads tables.xlsx back as a planner would (python3-openpyxl) and checks it against
forecast.csv and targets.csv of the same run.

Usage: workbook.py OUT_DIR YEAR[,YEAR...] LANG
Exit 0 pass, 1 fail, 77 skip (no openpyxl).
"""
import csv
import sys

try:
    import openpyxl
except ImportError:
    print("SKIP: python3-openpyxl is not installed (tools/setup.sh --test installs it)")
    sys.exit(77)

failures = []


def fail(message):
    print("FAIL:", message)
    failures.append(message)


out, years, lang = sys.argv[1], [int(y) for y in sys.argv[2].split(",")], sys.argv[3]
book = openpyxl.load_workbook(f"{out}/tables.xlsx")
forecast = list(csv.DictReader(open(f"{out}/forecast.csv", encoding="utf-8")))
targets = list(csv.DictReader(open(f"{out}/targets.csv", encoding="utf-8")))
scenarios = list(dict.fromkeys(row["scenario"] for row in forecast))

words = {"en": ("Scorecard", "Run", "Median"), "vi": ("Mục tiêu", "Lần chạy", "Trung vị")}[lang]
names = book.sheetnames
print("sheets:", names)
if names[0] != words[0]:
    fail(f"first sheet is {names[0]!r}, expected the scorecard {words[0]!r}")
if names[-1] != words[1]:
    fail(f"last sheet is {names[-1]!r}, expected the run sheet {words[1]!r}")
scenario_sheets = [n for n in names if n not in (words[0], words[1], "Comparison", "So sánh")]
if len(scenario_sheets) != len(scenarios):
    fail(f"{len(scenario_sheets)} scenario sheets for {len(scenarios)} scenarios")

# Every scenario sheet: a row per variable; medians and intervals equal forecast.csv's.
by_key = {(r["scenario"], r["variable"], int(r["year"])): r for r in forecast}
checked = 0
for sheet_name, scenario in zip(scenario_sheets, scenarios):
    ws = book[sheet_name]
    head = [c.value for c in ws[4]]
    sub = [c.value for c in ws[5]]
    for i, year in enumerate(years):
        if head[3 + 3 * i] != str(year):
            fail(f"{sheet_name}: column {4 + 3 * i} heads {head[3 + 3 * i]!r}, expected {year}")
        if sub[3 + 3 * i] != words[2]:
            fail(f"{sheet_name}: sub-header {sub[3 + 3 * i]!r}, expected {words[2]!r}")
    variables = [r["variable"] for r in forecast if r["scenario"] == scenario and
                 int(r["year"]) == int(forecast[0]["year"])]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    if [r[1] for r in rows] != variables:
        fail(f"{sheet_name}: variables {[r[1] for r in rows][:5]}... differ from forecast.csv")
    for row in rows:
        label, variable, unit = row[0], row[1], row[2]
        if not label:
            fail(f"{sheet_name}: {variable} has no label")
        for i, year in enumerate(years):
            ref = by_key.get((scenario, variable, year))
            if ref is None:
                continue
            if unit != ref["unit"]:
                fail(f"{sheet_name}: {variable} unit {unit!r} != {ref['unit']!r}")
            for offset, column in enumerate(("p50", "p05", "p95")):
                cell = row[3 + 3 * i + offset]
                # libxlsxwriter writes 16 significant digits (Excel keeps 15): equal to
                # about one part in 1e15, not bit for bit.
                want = float(ref[column])
                if not isinstance(cell, (int, float)) or abs(cell - want) > 1e-14 * max(1, abs(want)):
                    fail(f"{sheet_name}: {variable} {year} {column} {cell!r} != {ref[column]}")
            checked += 1
    # Numbers carry a display format, not 17 digits.
    fmt = ws.cell(row=6, column=4).number_format
    if not fmt.startswith("#,##0"):
        fail(f"{sheet_name}: number format {fmt!r}")
print(f"{checked} (variable, year) cells checked against forecast.csv")

score = book[words[0]]
score_rows = list(score.iter_rows(min_row=2, values_only=True))
if len(score_rows) != len(targets):
    fail(f"scorecard sheet has {len(score_rows)} rows, targets.csv {len(targets)}")
for row, target in zip(score_rows, targets):
    if row[1] != target["scenario"] or row[3] != target["variable"]:
        fail(f"scorecard row {row[:4]} is not {target['scenario']}/{target['variable']}")
    elif abs(row[7] - float(target["probability"])) > 1e-14:
        fail(f"scorecard probability {row[7]} != {target['probability']}")
if score.cell(row=2, column=8).number_format != "0.0%":
    fail("the chance column is not formatted as a percentage")

run = book[words[1]]
if not str(run.cell(row=1, column=2).value).startswith("tamnhin "):
    fail("run sheet lacks the version")
if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("workbook checks passed")
