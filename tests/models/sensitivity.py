#!/usr/bin/env python3
"""One-at-a-time sensitivity of the provincial models to their UNSOURCED coefficients (those
whose note says ASSUMPTION): each is fixed at the low and at the high end of its range, all
else drawn as usual with the same seed (common random numbers), and the swing of every
target's chance is recorded in the baseline and in budget_plus (where the spending
elasticities act). Prints, per coefficient, the largest swing in percentage points over
the four provinces' targets and which target it is, ranked. Used for the ranking in
docs/models/README.md; not a pass/fail test.

usage: sensitivity.py TAMNHIN ROOT [DRAWS]
"""
import csv
import os
import subprocess
import sys
import tempfile
import tomllib

tamnhin, root = sys.argv[1:3]
draws = sys.argv[3] if len(sys.argv) > 3 else "1000"
provinces = ["tay_ninh", "bac_ninh", "long_an", "bac_giang"]
shared = tomllib.load(open(f"{root}/scenarios/shared/social_policy.toml", "rb"))["params"]
params = {k: v for k, v in shared.items()
          if isinstance(v, dict) and "ASSUMPTION" in v.get("note", "") and v.get("dist") == "uniform"}


def chances(files, out):
    subprocess.run([tamnhin, "run", *files, "--draws", draws, "--out", out, "--quiet"], check=True)
    return {(r["scenario"], r["variable"], r["year"]): float(r["probability"])
            for r in csv.DictReader(open(f"{out}/targets.csv"))}


with tempfile.TemporaryDirectory() as tmp:
    base = {}
    for p in provinces:
        files = [f"{root}/scenarios/{p}/baseline.toml", f"{root}/scenarios/{p}/budget_plus.toml"]
        base[p] = chances(files, f"{tmp}/base_{p}")
    swing = {}
    for name, spec in params.items():
        worst = (0.0, "")
        for p in provinces:
            res = {}
            for end in ("min", "max"):
                files = []
                for scen in ("baseline", "budget_plus"):
                    f = f"{tmp}/{p}_{scen}_{name}_{end}.toml"
                    with open(f, "w") as out:
                        out.write(f'[scenario]\nname = "{p}_{scen}"\n'
                                  f'extends = "{root}/scenarios/{p}/{scen}.toml"\n\n'
                                  f'[params.{name}]\ndist = "constant"\nvalue = {spec[end]}\n')
                    files.append(f)
                res[end] = chances(files, f"{tmp}/out_{p}_{name}_{end}")
            for key in res["min"]:
                d = abs(res["max"][key] - res["min"][key]) * 100
                if d > worst[0]:
                    worst = (d, f"{p}: {key[1]} {key[2]} ({key[0].split('_', 1)[-1] if False else key[0]})")
        swing[name] = worst
    print(f"{'coefficient':22} {'range':>14}  largest swing of a target's chance (pp), where")
    for name, (d, where) in sorted(swing.items(), key=lambda kv: -kv[1][0]):
        spec = params[name]
        print(f"{name:22} {spec['min']:>6g}-{spec['max']:<6g}  {d:5.1f}  {where}")
