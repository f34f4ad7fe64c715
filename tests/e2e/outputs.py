#!/usr/bin/env python3
"""Checks of tamnhin's output files (forecast.csv, targets.csv, run.json) for the e2e tests.

  outputs.py validate OUT --model M --scenarios a,b [--draws N,N] [--seed S,S]
                          [--sampling X] [--threads T] [--files F,F,...]
      headers exactly as documented, rows ordered scenario / variable (model order) / year,
      sane numbers, run.json complete with the SHA-256 of every input file
  outputs.py crn OUT --a A --b B --same v,v --differ v,v
      rows of the --same variables identical between scenarios A and B (apart from the
      scenario column), each --differ variable differing in at least one row
  outputs.py shared OUT_A OUT_B
      every forecast row of a variable present in both runs is identical
  outputs.py json OUT KEY[.KEY...]
      prints one value of run.json (list indices are numbers)
Exit 0 when every check holds; else prints each failure and exits 1.
"""
import argparse
import csv
import hashlib
import json
import math
import os
import re
import sys
import tomllib

FORECAST_HEADER = "scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95"
TARGETS_HEADER = ("scenario,variable,year,comparator,threshold,probability,probability_se,"
                  "p50,p05,p95,first_year_p50,source")
COMPARATORS = ("below", "at_most", "above", "at_least")

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        text = f.read()
    return text, list(csv.reader(text.splitlines()))


def significant_digits(s):
    m = s.lstrip("+-").lower().split("e")[0].replace(".", "").lstrip("0").rstrip("0")
    return len(m)


def check_number(s, where):
    """A finite number written in the shortest form that reads back exactly."""
    try:
        v = float(s)
    except ValueError:
        fail(f"{where}: not a number: {s!r}")
        return None
    if not math.isfinite(v):
        fail(f"{where}: not finite: {s!r}")
        return v
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", s):
        fail(f"{where}: unusual number format {s!r}")
    mantissa = s.lower().split("e")[0]
    if ("." in mantissa and mantissa.endswith("0")) or mantissa.endswith(".") or \
            re.match(r"-?0[0-9]", mantissa):
        fail(f"{where}: {s!r} has superfluous zeros")
    if significant_digits(s) > max(significant_digits(repr(v)), 1):
        fail(f"{where}: {s!r} is not the shortest form of {v!r}")
    return v


def model_vars(model_path):
    with open(model_path, "rb") as f:
        model = tomllib.load(f)
    header = model["model"]
    years = list(range(header["base_year"], header.get("end_year", 2045) + 1))
    return model.get("vars", {}), years


def validate(args):
    out = args.out
    scenarios = args.scenarios.split(",")
    draws = [int(x) for x in args.draws.split(",")] if args.draws else None
    seeds = [int(x) for x in args.seed.split(",")] if args.seed else None
    vars_, years = model_vars(args.model)
    recorded = [n for n, v in vars_.items() if "unit" in v or v.get("targets")]

    # forecast.csv
    text, rows = read_csv(os.path.join(out, "forecast.csv"))
    if text.splitlines()[0] != FORECAST_HEADER:
        fail(f"forecast.csv header is {text.splitlines()[0]!r}")
    if not text.endswith("\n") or "\r" in text:
        fail("forecast.csv: lines must end with a single \\n, file included")
    expected_keys = [(s, v, y) for s in scenarios for v in recorded for y in years]
    keys = [(r[0], r[1], int(r[3])) for r in rows[1:] if len(r) == 11]
    if len(rows) - 1 != len(keys):
        fail("forecast.csv: some rows do not have 11 fields")
    if keys != expected_keys:
        first = next((i for i, (a, b) in enumerate(zip(keys, expected_keys)) if a != b),
                     min(len(keys), len(expected_keys)))
        fail(f"forecast.csv: rows not ordered scenario/variable(model order)/year; "
             f"{len(keys)} rows, expected {len(expected_keys)}; first difference at data row "
             f"{first + 1}: got {keys[first] if first < len(keys) else None}, expected "
             f"{expected_keys[first] if first < len(expected_keys) else None}")
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != 11:
            continue
        where = f"forecast.csv:{i}"
        unit = vars_.get(r[1], {}).get("unit", "")
        if r[2] != unit:
            fail(f"{where}: unit {r[2]!r}, the model says {unit!r}")
        vals = [check_number(x, f"{where} {name}") for x, name in
                zip(r[4:], ["mean", "sd", "p05", "p25", "p50", "p75", "p95"])]
        if None in vals:
            continue
        mean, sd, *q = vals
        if sd < 0:
            fail(f"{where}: negative sd")
        if any(a > b for a, b in zip(q, q[1:])):
            fail(f"{where}: quantiles not ordered: {q}")
        if sd == 0 and any(x != mean for x in q):
            fail(f"{where}: sd 0 but the quantiles {q} differ from the mean {mean}")
        v = vars_.get(r[1], {})
        lo, hi = v.get("min"), v.get("max")
        if (lo is not None and q[0] < lo) or (hi is not None and q[-1] > hi):
            fail(f"{where}: quantiles {q} outside the clamp [{lo}, {hi}]")

    quantiles = {(r[0], r[1], r[3]): r for r in rows[1:] if len(r) == 11}

    # targets.csv
    text, rows = read_csv(os.path.join(out, "targets.csv"))
    if text.splitlines()[0] != TARGETS_HEADER:
        fail(f"targets.csv header is {text.splitlines()[0]!r}")
    expected = []
    for s in scenarios:
        for name, v in vars_.items():
            for t in v.get("targets", []):
                comp = [c for c in COMPARATORS if c in t]
                expected.append((s, name, t["year"], comp[0], float(t[comp[0]]),
                                 t.get("source", "")))
    got = []
    for i, r in enumerate(rows[1:], start=2):
        where = f"targets.csv:{i}"
        if len(r) != 12:
            fail(f"{where}: {len(r)} fields, expected 12")
            continue
        got.append((r[0], r[1], int(r[2]), r[3], float(r[4]), r[11]))
        p = check_number(r[5], f"{where} probability")
        se = check_number(r[6], f"{where} probability_se")
        p50, p05, p95 = (check_number(x, f"{where} {n}") for x, n in
                         zip(r[7:10], ["p50", "p05", "p95"]))
        if p is not None and not 0 <= p <= 1:
            fail(f"{where}: probability {p} outside [0, 1]")
        if draws and p is not None and se is not None:
            n = draws[scenarios.index(r[0])] if r[0] in scenarios else draws[0]
            want = math.sqrt(p * (1 - p) / n)
            if abs(se - want) > 1e-12 + 1e-9 * want:
                fail(f"{where}: probability_se {se}, expected sqrt(p(1-p)/N) = {want} (N = {n})")
            if abs(p * n - round(p * n)) > 1e-6:
                fail(f"{where}: probability {p} is not a count of {n} draws")
        f = quantiles.get((r[0], r[1], r[2]))
        if f is None:
            fail(f"{where}: no forecast.csv row for {r[0]}, {r[1]}, {r[2]}")
        elif (r[7], r[8], r[9]) != (f[8], f[6], f[10]):
            fail(f"{where}: p50, p05, p95 = {r[7]}, {r[8]}, {r[9]} but forecast.csv says "
                 f"{f[8]}, {f[6]}, {f[10]}")
        if None not in (p05, p50, p95) and not p05 <= p50 <= p95:
            fail(f"{where}: p05 <= p50 <= p95 fails: {p05}, {p50}, {p95}")
        if r[10] and not (r[10].isdigit() and years[0] <= int(r[10]) <= years[-1]):
            fail(f"{where}: first_year_p50 {r[10]!r} is not an empty field or a simulated year")
    if got != expected:
        fail(f"targets.csv rows {got} != expected (model order, per scenario) {expected}")

    # run.json
    with open(os.path.join(out, "run.json"), encoding="utf-8") as f:
        try:
            info = json.load(f)
        except json.JSONDecodeError as e:
            fail(f"run.json does not parse: {e}")
            return
    for key in ("version", "command_line", "seed", "draws", "sampling", "threads", "files",
                "years", "wall_seconds", "scenarios"):
        if key not in info:
            fail(f"run.json lacks {key!r}")
    if failures:
        return
    # Top-level seed, draws and sampling: the value every scenario used, null when they differ.
    for key in ("seed", "draws", "sampling"):
        used = {s.get(key) for s in info["scenarios"]}
        want = used.pop() if len(used) == 1 else None
        if info[key] != want:
            fail(f"run.json: top-level {key} is {info[key]!r}, the scenarios used "
                 f"{[s.get(key) for s in info['scenarios']]}")
    if not isinstance(info["threads"], int) or info["threads"] < 1:
        fail(f"run.json: threads {info['threads']!r}")
    if args.threads and info["threads"] != int(args.threads):
        fail(f"run.json: threads {info['threads']}, the run used {args.threads}")
    if args.sampling and info["sampling"] not in (args.sampling, None):
        fail(f"run.json: sampling {info['sampling']!r}, the run used {args.sampling!r}")
    if not isinstance(info["command_line"], list) or "run" not in info["command_line"]:
        fail(f"run.json: command_line {info['command_line']!r}")
    if info["years"] != {"first": years[0], "last": years[-1]}:
        fail(f"run.json: years {info['years']!r}")
    if not isinstance(info["wall_seconds"], (int, float)) or info["wall_seconds"] < 0:
        fail(f"run.json: wall_seconds {info['wall_seconds']!r}")
    paths = []
    for entry in info["files"]:
        path, digest = entry.get("path"), entry.get("sha256", "")
        paths.append(path)
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            fail(f"run.json: sha256 of {path} is {digest!r}, expected 64 hex digits")
            continue
        try:
            with open(path, "rb") as f:
                actual = hashlib.sha256(f.read()).hexdigest()
        except OSError as e:
            fail(f"run.json: cannot open recorded file {path}: {e}")
            continue
        if actual != digest:
            fail(f"run.json: sha256 of {path} is {digest}, the file's is {actual}")
    if len(set(paths)) != len(paths):
        fail(f"run.json: files listed twice: {paths}")
    if args.files:
        want = [os.path.realpath(p) for p in args.files.split(",")]
        have = [os.path.realpath(p) for p in paths]
        for w in want:
            if w not in have:
                fail(f"run.json: files lacks {w}")
    names = [s.get("name") for s in info["scenarios"]]
    if names != scenarios:
        fail(f"run.json: scenarios {names}, expected {scenarios}")
    for i, s in enumerate(info["scenarios"]):
        if draws and s.get("draws") != draws[i]:
            fail(f"run.json: scenario {s.get('name')} draws {s.get('draws')}, expected {draws[i]}")
        if seeds and s.get("seed") != seeds[i]:
            fail(f"run.json: scenario {s.get('name')} seed {s.get('seed')}, expected {seeds[i]}")
        for c in s.get("clamps", []):
            n = (draws[i] if draws else 10**9) * len(years)
            if c.get("variable") not in vars_:
                fail(f"run.json: clamp count for unknown variable {c.get('variable')!r}")
            elif not all(isinstance(c.get(k), int) and 0 <= c[k] <= n for k in ("low", "high")):
                fail(f"run.json: clamp counts {c} not integers in [0, draws x years]")
            elif c["low"] and "min" not in vars_[c["variable"]] or \
                    c["high"] and "max" not in vars_[c["variable"]]:
                fail(f"run.json: clamp counts {c} for a bound the variable does not have")
        if args.sampling and s.get("sampling") != args.sampling:
            fail(f"run.json: scenario {s.get('name')} sampling {s.get('sampling')!r}")


def forecast_rows(out):
    _, rows = read_csv(os.path.join(out, "forecast.csv"))
    return rows[1:]


def crn(args):
    rows = forecast_rows(args.out)
    by = {}
    for r in rows:
        by.setdefault((r[0], r[1]), []).append(r[2:])
    for v in filter(None, args.same.split(",")):
        a, b = by.get((args.a, v)), by.get((args.b, v))
        if not a or not b:
            fail(f"no rows of {v} for {args.a} or {args.b}")
        elif a != b:
            diff = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y) if len(a) == len(b) else 0
            fail(f"{v} differs between {args.a} and {args.b} although it does not depend on "
                 f"what they change: {a[diff]} vs {b[diff]}")
    for v in filter(None, args.differ.split(",")):
        a, b = by.get((args.a, v)), by.get((args.b, v))
        if not a or not b:
            fail(f"no rows of {v} for {args.a} or {args.b}")
        elif a == b:
            fail(f"{v} is identical in {args.a} and {args.b}, expected the change to show")


def shared(args):
    """Rows keyed by (variable, year): the model order of the two runs may differ."""
    a = {(r[1], r[3]): r[2:] for r in forecast_rows(args.out_a)}
    b = {(r[1], r[3]): r[2:] for r in forecast_rows(args.out_b)}
    common = sorted(set(a) & set(b))
    if not common:
        fail("no variable in common")
    bad = [k for k in common if a[k] != b[k]]
    for k in bad[:5]:
        fail(f"{k[0]} {k[1]} differs: {','.join(a[k])} vs {','.join(b[k])}")
    if len(bad) > 5:
        fail(f"... and {len(bad) - 5} more differing rows")
    print(f"{len({k[0] for k in common})} shared variables, {len(common)} rows compared")


def get_json(args):
    with open(os.path.join(args.out, "run.json"), encoding="utf-8") as f:
        v = json.load(f)
    for k in args.key.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
    print(json.dumps(v) if not isinstance(v, str) else v)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("validate")
    p.add_argument("out")
    p.add_argument("--model", required=True)
    p.add_argument("--scenarios", required=True)
    p.add_argument("--draws")
    p.add_argument("--seed")
    p.add_argument("--sampling")
    p.add_argument("--threads")
    p.add_argument("--files")
    p = sub.add_parser("crn")
    p.add_argument("out")
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--same", default="")
    p.add_argument("--differ", default="")
    p = sub.add_parser("shared")
    p.add_argument("out_a")
    p.add_argument("out_b")
    p = sub.add_parser("json")
    p.add_argument("out")
    p.add_argument("key")
    args = ap.parse_args()
    {"validate": validate, "crn": crn, "shared": shared, "json": get_json}[args.cmd](args)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
