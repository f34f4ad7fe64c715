#!/usr/bin/env python3
"""Regenerates the number tables of docs/models/<province>.md from runs of the shipped scenarios,
so that the documents show the engine's numbers, not numbers copied by hand:

  * "Programme scorecard": per target, the chance in the baseline, the median in the target year
    with its 90% interval, the chance under low and high growth, the best of the same-total
    reallocations and budget_plus (when its chance is higher than the baseline's), and a status
    (on track: baseline chance >= 60%; uncertain: 20-60%; off track: below 20%);
  * "The two former provinces in the baseline" (merged provinces only): the region elements in
    the base year and in 2030, median (90% interval).

Each table is found by its header line and replaced whole; the text around it is left alone
(read it after a run: prose that quotes a number may need a hand edit).

usage: tools/doc-tables.py [TAMNHIN] [--draws N] [--out DIR] [--check [--rows]]
  TAMNHIN  the binary (default build/release/tamnhin); runs each province's eight scenarios
  --check  write nothing; exit 1 if a document's tables differ from the regenerated ones
  --rows   with --check, compare only which rows the tables have (target and variable; the
           region rows), not the numbers: fast at few draws (the models.doc_tables test)
"""
import argparse
import csv
import os
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROVINCES = ["tay_ninh", "bac_ninh", "long_an", "bac_giang"]
REALLOCATIONS = ["health_first", "skills_first", "water_first", "protection_first", "budget_plus"]
SCENARIOS = ["baseline", "low_growth", "high_growth"] + REALLOCATIONS
SCORECARD_HEADER = "| target | model variable | baseline chance |"
REGIONS_HEADER = "| | former "
COMPARATORS = {"at_least": "≥", "at_most": "≤", "above": ">", "below": "<"}
# Region rows: (label, variable, digits: None rounds to the thousand)
REGION_ROWS = [("population (`region_population`)", "region_population", None),
               ("real growth (`region_growth`), %", "region_growth", 1),
               ("GRDP, bn VND (`region_grdp_bn`)", "region_grdp_bn", None),
               ("GRDP per person, m VND (`region_grdp_per_capita`)", "region_grdp_per_capita", 1),
               ("labour force (`region_labour_force`)", "region_labour_force", None),
               ("doctors per 10,000 (`region_doctors`)", "region_doctors", 1)]


def number(x):
    """Three significant figures or so: 9,354 / 118.1 / 13.4 / 1.95."""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def chance(p):
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{100 * p:.0f}%"


def status(p):
    return "on track" if p >= 0.6 else "uncertain" if p >= 0.2 else "off track"


def scenario_name(path):
    with open(path, "rb") as f:
        return tomllib.load(f)["scenario"]["name"]


def run(tamnhin, province, draws, out):
    files = [f"scenarios/{province}/{s}.toml" for s in SCENARIOS]
    subprocess.run([tamnhin, "run", *files, "--draws", str(draws), "--out", out, "--quiet"],
                   cwd=ROOT, check=True)
    names = {s: scenario_name(os.path.join(ROOT, f)) for s, f in zip(SCENARIOS, files)}
    targets = {}  # scenario -> [rows in file order]
    with open(os.path.join(out, "targets.csv"), newline="") as f:
        for r in csv.DictReader(f):
            targets.setdefault(r["scenario"], []).append(r)
    forecast = {}
    with open(os.path.join(out, "forecast.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["scenario"] == names["baseline"]:
                forecast[(r["variable"], int(r["year"]))] = r
    return names, targets, forecast


def scorecard(names, targets):
    def key(r):
        return (r["variable"], r["year"], r["comparator"], r["threshold"])

    by = {s: {key(r): r for r in targets[names[s]]} for s in SCENARIOS}
    lines = [SCORECARD_HEADER + " median 2030/target year (90% interval) | low / high growth"
             " | best reallocation | status |", "|---|---|---|---|---|---|---|"]
    for r in targets[names["baseline"]]:
        if r["source"].startswith("hold-out:"):
            continue
        k, p = key(r), float(r["probability"])
        best, best_p = None, p
        for s in REALLOCATIONS:
            q = float(by[s][k]["probability"])
            if q > best_p:
                best, best_p = s, q
        target = f"{COMPARATORS[r['comparator']]} {number(float(r['threshold']))} in {r['year']}"
        median = (f"{number(float(r['p50']))} ({number(float(r['p05']))}–"
                  f"{number(float(r['p95']))})")
        growth = (f"{chance(float(by['low_growth'][k]['probability']))} / "
                  f"{chance(float(by['high_growth'][k]['probability']))}")
        realloc = f"{best} {chance(best_p)}" if best else "—"
        lines.append(f"| {target} | `{r['variable']}` | {chance(p)} | {median} | {growth} | "
                     f"{realloc} | {status(p)} |")
    return lines


def region_table(province, forecast):
    with open(os.path.join(ROOT, f"scenarios/{province}/model.toml"), "rb") as f:
        model = tomllib.load(f)
    elements = model["dims"]["region"]
    base = model["model"]["base_year"]
    labels = {"tay_ninh_old": "former Tây Ninh", "long_an": "Long An",
              "bac_ninh_old": "former Bắc Ninh", "bac_giang": "Bắc Giang"}

    def fmt(x, digits):
        return f"{round(x, -3):,.0f}" if digits is None else f"{x:,.{digits}f}"

    head = "| |" + "".join(f" {labels[e]} {base} | 2030 |" for e in elements)
    lines = [head, "|---" * (1 + 2 * len(elements)) + "|"]
    for label, var, digits in REGION_ROWS:
        cells = []
        for e in elements:
            first, late = forecast[(f"{var}[{e}]", base)], forecast[(f"{var}[{e}]", 2030)]
            cells.append(fmt(float(first["p50"]), digits))
            cells.append(f"{fmt(float(late['p50']), digits)} ({fmt(float(late['p05']), digits)}–"
                         f"{fmt(float(late['p95']), digits)})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def find_table(lines, header):
    starts = [i for i, line in enumerate(lines) if line.startswith(header)]
    if len(starts) != 1:
        raise SystemExit(f"expected one table starting '{header}', found {len(starts)}")
    end = starts[0]
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return starts[0], end


def replace_table(text, header, new_lines):
    lines = text.split("\n")
    start, end = find_table(lines, header)
    return "\n".join(lines[:start] + new_lines + lines[end:])


def row_keys(text, header, cells):
    """The first `cells` cells of each row of the table: which rows it has, not their numbers."""
    lines = text.split("\n")
    start, end = find_table(lines, header)
    return [tuple(c.strip() for c in line.split("|")[1:1 + cells]) for line in lines[start:end]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tamnhin", nargs="?", default=os.path.join(ROOT, "build/release/tamnhin"))
    ap.add_argument("--draws", type=int, default=10000)
    ap.add_argument("--out", default=os.path.join(ROOT, "out/doc-tables"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--rows", action="store_true")
    args = ap.parse_args()
    tamnhin = os.path.abspath(args.tamnhin)
    differ = []
    for province in PROVINCES:
        names, targets, forecast = run(tamnhin, province, args.draws,
                                       os.path.abspath(os.path.join(args.out, province)))
        doc = os.path.join(ROOT, f"docs/models/{province}.md")
        with open(doc, encoding="utf-8") as f:
            old = f.read()
        new = replace_table(old, SCORECARD_HEADER, scorecard(names, targets))
        if province in ("tay_ninh", "bac_ninh"):
            new = replace_table(new, REGIONS_HEADER, region_table(province, forecast))
        if args.rows:
            merged = province in ("tay_ninh", "bac_ninh")
            tables = [(SCORECARD_HEADER, 2)] + ([(REGIONS_HEADER, 1)] if merged else [])
            for header, cells in tables:
                # The target cell holds the threshold and year; the numbers after are not compared.
                a, b = row_keys(old, header, cells), row_keys(new, header, cells)
                if a != b:
                    differ.append(f"{doc}: rows {sorted(set(a) ^ set(b))}")
            continue
        if new != old:
            differ.append(doc)
            if not args.check:
                with open(doc, "w", encoding="utf-8") as f:
                    f.write(new)
    verb = "differ" if args.check else "rewritten"
    print(f"{len(differ)} document(s) {verb}" + "".join(f"\n  {d}" for d in differ))
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
