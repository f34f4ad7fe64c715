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

tamnhin, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
draws = sys.argv[3] if len(sys.argv) > 3 else "1000"
provinces = ["tay_ninh", "bac_ninh", "long_an", "bac_giang"]
shared = tomllib.load(open(f"{root}/scenarios/shared/social_policy.toml", "rb"))["params"]
params = {k: v for k, v in shared.items()
          if isinstance(v, dict) and "ASSUMPTION" in v.get("note", "") and v.get("dist") == "uniform"}
# Province-specific assumptions (a province's own uniform parameter, or its range of a shared
# one, e.g. the merged provinces' per-former-province growth shocks): varied in that province
# only. A per-element range ({element = value}) is fixed at every element's low or high end.
own = {}
for p in provinces:
    for k, v in tomllib.load(open(f"{root}/scenarios/{p}/model.toml", "rb")).get("params", {}).items():
        if isinstance(v, dict) and "ASSUMPTION" in v.get("note", "") and "min" in v and "max" in v:
            own[f"{k} ({p})"] = dict(v, param=k, provinces=[p])


def toml_value(x):
    if isinstance(x, dict):
        return "{ " + ", ".join(f"{e} = {v}" for e, v in x.items()) + " }"
    return str(x)


def span(spec):
    if isinstance(spec["min"], dict):
        return ", ".join(f"{e} {spec['min'][e]:g}-{spec['max'][e]:g}" for e in spec["min"])
    return f"{spec['min']:g}-{spec['max']:g}"


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
    everything = {k: dict(v, param=k, provinces=provinces) for k, v in params.items()}
    everything.update(own)
    for name, spec in everything.items():
        worst = (0.0, "")
        for p in spec["provinces"]:
            res = {}
            for end in ("min", "max"):
                files = []
                for scen in ("baseline", "budget_plus"):
                    f = f"{tmp}/{p}_{scen}_{spec['param']}_{end}.toml"
                    with open(f, "w") as out:
                        out.write(f'[scenario]\nname = "{p}_{scen}"\n'
                                  f'extends = "{root}/scenarios/{p}/{scen}.toml"\n\n'
                                  f'[params.{spec["param"]}]\ndist = "constant"\n'
                                  f'value = {toml_value(spec[end])}\n')
                    files.append(f)
                res[end] = chances(files, f"{tmp}/out_{p}_{spec['param']}_{end}")
            for key in res["min"]:
                d = abs(res["max"][key] - res["min"][key]) * 100
                if d > worst[0]:
                    worst = (d, f"{p}: {key[1]} {key[2]} ({key[0].split('_', 1)[-1] if False else key[0]})")
        swing[name] = worst
    print(f"{'coefficient':22} {'range':>14}  largest swing of a target's chance (pp), where")
    for name, (d, where) in sorted(swing.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:22} {span(everything[name]):>14}  {d:5.1f}  {where}")
