#!/usr/bin/python3
"""Checks that two runs of the same scenarios agree within Monte Carlo error.

    compare_means.py DIR_A DIR_B [--z Z]

DIR_A and DIR_B hold forecast.csv and targets.csv (tamnhin's, or bench/numpy_baseline.py's),
and, when both have them, the paired comparisons compare.csv and compare_targets.csv.
The two runs use independent random numbers, so each forecast mean may differ by the
standard error of the difference, sqrt(sd_a^2 / n + sd_b^2 / n); each target probability
by sqrt(se_a^2 + se_b^2). A cell fails when the difference exceeds Z of those (default 5:
with about 7,000 cells of which many are strongly correlated, a false alarm at 5 standard
errors has odds below 1 in 200 per run). Cells without spread in either run (base years,
paths) must agree to 1e-9 relative. The number of draws is read from run.json when
present, else from --draws. Exit status 0 when every common cell agrees, 1 otherwise.

Paired cells: a mean difference may differ by the standard error bound of each run's
(sd(scenario) + sd(reference)) / sqrt(n) (the runs need not pair alike); the share of draws
where the scenario is higher, by its binomial standard error (both runs use common random
numbers, so both estimate the same probability), not checked where either run's differences
are all zero up to rounding; a target's paired difference, by the runs' own paired standard
errors.
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


def compare_paired(args, fa, fb, na, nb, failures):
    """The paired comparisons of both runs (compare.csv, compare_targets.csv), when both wrote
    them: (a summary for the report line, the number of cells in one run only)."""
    keys = ("scenario", "reference", "variable", "year")
    ca = read(os.path.join(args.a, "compare.csv"), keys)
    cb = read(os.path.join(args.b, "compare.csv"), keys)
    common = sorted(set(ca) & set(cb))
    worst_mean = worst_higher = 0.0

    def spread(forecast, n, key):
        # The sd of a - b is at most sd(a) + sd(b): a bound on the mean difference's standard
        # error from each run's own forecast (the runs' pairings need not be alike).
        scenario, reference, variable, year = key
        return (float(forecast[(scenario, variable, year)]["sd"]) +
                float(forecast[(reference, variable, year)]["sd"])) / math.sqrt(n)

    def flat(row, forecast, key):
        # No draw differs beyond rounding: the share of higher draws is then rounding noise.
        scale = max(1.0, abs(float(forecast[(key[0], key[2], key[3])]["mean"])))
        return max(abs(float(row["p05_diff"])), abs(float(row["p95_diff"]))) <= 1e-9 * scale

    for key in common:
        ma, mb = float(ca[key]["mean_diff"]), float(cb[key]["mean_diff"])
        if abs(ma - mb) > 1e-9 * max(1.0, abs(ma), abs(mb)):
            se = math.hypot(spread(fa, na, key), spread(fb, nb, key))
            z = abs(ma - mb) / se if se > 0 else math.inf
            worst_mean = max(worst_mean, z)
            if z > args.z:
                failures.append(f"compare {key}: mean_diff {ma} vs {mb}, {z:.1f} standard errors")
        if flat(ca[key], fa, key) or flat(cb[key], fb, key):
            continue
        # Both runs pair the same draws of each named quantity (common random numbers), so
        # the share of draws where the scenario is higher estimates the same probability.
        pa, pb = float(ca[key]["prob_higher"]), float(cb[key]["prob_higher"])
        se = max(math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb), 1.0 / min(na, nb))
        z = abs(pa - pb) / se
        worst_higher = max(worst_higher, z)
        if z > args.z:
            failures.append(f"compare {key}: prob_higher {pa} vs {pb}, {z:.1f} standard errors")

    # difference_se is each run's paired standard error of its own difference.
    targets, worst_target, target_only = compare_odds(
        args, "compare_targets.csv", ("reference",), "difference", "difference_se",
        "compare target", min(na, nb), failures)
    only = len(set(ca) ^ set(cb)) + target_only
    return (f", {len(common)} paired cells (mean differences: largest {worst_mean:.2f}, "
            f"shares higher: {worst_higher:.2f}), {targets} paired targets (largest "
            f"{worst_target:.2f})", only)


def compare_odds(args, table, more_keys, value, se_field, label, n, failures):
    """A table of target odds in both runs (targets.csv, compare_targets.csv): each common
    row's `value` may differ by the runs' own standard errors (`se_field`), at least one
    draw's worth (a probability of 0 or 1 has se 0). (common rows, largest z, rows in one
    run only)."""
    keys = ("scenario",) + more_keys + ("variable", "year", "comparator", "threshold")
    ta = read(os.path.join(args.a, table), keys)
    tb = read(os.path.join(args.b, table), keys)
    common = sorted(set(ta) & set(tb))
    worst = 0.0
    for key in common:
        va, vb = float(ta[key][value]), float(tb[key][value])
        se = max(math.hypot(float(ta[key][se_field]), float(tb[key][se_field])), 1.0 / n)
        z = abs(va - vb) / se
        worst = max(worst, z)
        if z > args.z:
            failures.append(f"{label} {key}: {value} {va} vs {vb}, {z:.1f} standard errors")
    return len(common), worst, len(set(ta) ^ set(tb))


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

    targets, tworst, target_only = compare_odds(args, "targets.csv", (), "probability",
                                                "probability_se", "target", min(na, nb),
                                                failures)
    only = len(set(fa) ^ set(fb)) + target_only
    compared = ""
    if all(os.path.exists(os.path.join(d, "compare.csv")) for d in (args.a, args.b)):
        compared = compare_paired(args, fa, fb, na, nb, failures)
        only += compared[1]
        compared = compared[0]
    print(f"compare_means: {len(common)} forecast cells (largest difference {worst:.2f} standard "
          f"errors), {targets} targets (largest {tworst:.2f}){compared}; {only} cells in one "
          f"run only; {len(failures)} beyond {args.z:g} standard errors")
    for line in failures[:20]:
        print("  " + line)
    return 1 if failures or not common else 0


if __name__ == "__main__":
    sys.exit(main())
