#!/usr/bin/python3
"""Checks that two runs of the same scenarios agree within Monte Carlo error.

    compare_means.py DIR_A DIR_B [--z Z]

DIR_A and DIR_B hold forecast.csv and targets.csv (tamnhin's, or bench/numpy_baseline.py's).
The two runs use independent random numbers, so each forecast mean may differ by the
standard error of the difference, sqrt(sd_a^2 / n + sd_b^2 / n); each target probability
by sqrt(se_a^2 + se_b^2). A cell fails when the difference exceeds Z of those (default 5:
with about 7,000 cells of which many are strongly correlated, a false alarm at 5 standard
errors has odds below 1 in 200 per run). Cells without spread in either run (base years,
paths) must agree to 1e-9 relative. The number of draws is read from run.json when
present, else from --draws. Exit status 0 when every common cell agrees, 1 otherwise.
"""

import argparse
import csv
import json
import math
import os
import sys


def read(path, key_fields):
    with open(path, newline="") as f:
        return {tuple(row[k] for k in key_fields): row for row in csv.DictReader(f)}


def draws_of(directory, fallback):
    run = os.path.join(directory, "run.json")
    if os.path.exists(run):
        with open(run) as f:
            return int(json.load(f)["draws"])
    return fallback


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--z", type=float, default=5.0)
    ap.add_argument("--draws", type=int, default=None)
    args = ap.parse_args()
    na = draws_of(args.a, args.draws)
    nb = draws_of(args.b, args.draws or na)
    if na is None or nb is None:
        sys.exit("compare_means: give --draws (no run.json)")

    fa = read(os.path.join(args.a, "forecast.csv"), ("scenario", "variable", "year"))
    fb = read(os.path.join(args.b, "forecast.csv"), ("scenario", "variable", "year"))
    common = sorted(set(fa) & set(fb))
    worst, failures = 0.0, []
    for key in common:
        ma, mb = float(fa[key]["mean"]), float(fb[key]["mean"])
        sa, sb = float(fa[key]["sd"]), float(fb[key]["sd"])
        se = math.sqrt(sa * sa / na + sb * sb / nb)
        if abs(ma - mb) <= 1e-9 * max(1.0, abs(ma), abs(mb)):
            continue  # equal up to rounding (also the cells without spread)
        if se == 0:
            failures.append(f"forecast {key}: {ma} vs {mb}, no spread in either run")
            continue
        z = abs(ma - mb) / se
        worst = max(worst, z)
        if z > args.z:
            failures.append(f"forecast {key}: mean {ma} vs {mb}, {z:.1f} standard errors")

    keys = ("scenario", "variable", "year", "comparator", "threshold")
    ta = read(os.path.join(args.a, "targets.csv"), keys)
    tb = read(os.path.join(args.b, "targets.csv"), keys)
    tcommon = sorted(set(ta) & set(tb))
    tworst = 0.0
    for key in tcommon:
        pa, pb = float(ta[key]["probability"]), float(tb[key]["probability"])
        sa, sb = float(ta[key]["probability_se"]), float(tb[key]["probability_se"])
        # A probability of 0 or 1 has se 0: allow one draw's worth.
        se = max(math.sqrt(sa * sa + sb * sb), 1.0 / min(na, nb))
        z = abs(pa - pb) / se
        tworst = max(tworst, z)
        if z > args.z:
            failures.append(f"target {key}: probability {pa} vs {pb}, {z:.1f} standard errors")

    only = len(set(fa) ^ set(fb)) + len(set(ta) ^ set(tb))
    print(f"compare_means: {len(common)} forecast cells (largest difference {worst:.2f} standard "
          f"errors), {len(tcommon)} targets (largest {tworst:.2f}); {only} cells in one run only; "
          f"{len(failures)} beyond {args.z:g} standard errors")
    for line in failures[:20]:
        print("  " + line)
    return 1 if failures or not common else 0


if __name__ == "__main__":
    sys.exit(main())
