#!/usr/bin/python3
"""An independent NumPy implementation of the tamnhin model contract, for benchmarking.

What a researcher could write instead of using tamnhin: read the model and scenario TOML
files (MODEL_FORMAT.md: extends chains, parameter and variable overrides, paths, tables,
shocks, correlations, targets), evaluate every equation year by year vectorised over the
draws (one NumPy array of `draws` values per variable and year), and compute the same
statistics (forecast mean, sd and type-7 quantiles; target probability, its standard
error, quantiles in the target year and the median first year). Random numbers come from
NumPy's own generator, so outputs agree with tamnhin's in distribution, not in bits:
bench/compare_means.py checks that the means agree within Monte Carlo error.

It shares no code with the engine: the expression parser, the dependency order and the
statistics are written here from the contract alone.

    numpy_baseline.py FILE... [--draws N] [--seed S] [--jobs J] [--out DIR]

Writes DIR/forecast.csv and DIR/targets.csv in tamnhin's layout and, with two or more files,
the paired comparisons DIR/compare.csv and DIR/compare_targets.csv (each scenario against the
first file of its model, as `tamnhin run` pairs them), and prints the wall time.
--jobs J runs the scenarios in J worker processes (NumPy itself runs one core per process).

Common random numbers, as the contract asks: every random quantity has a stream of its own,
seeded by the run seed and its name (a parameter, a correlation group, a shock group, the
k-th random call in a variable's equation), so a draw sees the same values in every
scenario that keeps that quantity, and the paired differences are those of the same draws.
The references are simulated first, in this process, and kept; the worker processes are
forked after that and read them.
"""

import argparse
import math
import multiprocessing
import os
import re
import sys
import time
import tomllib
import zlib
from concurrent.futures import ProcessPoolExecutor

import numpy as np

# ---- expressions ------------------------------------------------------------------------------

TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[a-z][a-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|[-+*/^<>(),]))"
)
COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}


def tokenize(text):
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot read {text[pos:]!r} in {text!r}")
        pos = m.end()
        if m.group("num"):
            tokens.append(("num", float(m.group("num"))))
        elif m.group("name"):
            word = m.group("name")
            tokens.append(("op", word) if word in ("and", "or", "not") else ("name", word))
        else:
            tokens.append(("op", m.group("op")))
    tokens.append(("end", None))
    return tokens


class Parser:
    """Precedence climbing: or < and < not < comparisons < + - < * / < unary - < ^ (right)."""

    LEVELS = [("or",), ("and",), None, tuple(COMPARISONS), ("+", "-"), ("*", "/")]

    def __init__(self, text):
        self.tokens, self.i = tokenize(text), 0

    def peek(self):
        return self.tokens[self.i]

    def take(self, value=None):
        tok = self.tokens[self.i]
        if value is not None and tok[1] != value:
            raise ValueError(f"expected {value!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self):
        tree = self.binary(0)
        if self.peek()[0] != "end":
            raise ValueError(f"unexpected {self.peek()[1]!r}")
        return tree

    def binary(self, level):
        if level == len(self.LEVELS):
            return self.unary()
        if self.LEVELS[level] is None:  # 'not'
            if self.peek() == ("op", "not"):
                self.take()
                return ("not", self.binary(level))
            return self.binary(level + 1)
        lhs = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.LEVELS[level]:
            op = self.take()[1]
            lhs = ("bin", op, lhs, self.binary(level + 1))
        return lhs

    def unary(self):
        negations = 0
        while self.peek() == ("op", "-"):
            self.take()
            negations += 1
        base = self.primary()
        if self.peek() == ("op", "^"):
            self.take()
            base = ("bin", "^", base, self.unary())
        for _ in range(negations):
            base = ("neg", base)
        return base

    def primary(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", value)
        if kind == "op" and value == "(":
            inner = self.binary(0)
            self.take(")")
            return inner
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.binary(0))
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.binary(0))
                self.take(")")
                return ("call", value, args)
            return ("name", value)
        raise ValueError(f"unexpected {value!r}")


def same_year_names(tree, out):
    """Names read in the same year (not under prev): the dependency edges."""
    if tree[0] == "name":
        out.add(tree[1])
    elif tree[0] == "call":
        if tree[1] == "prev":
            return
        args = tree[2][1:] if tree[1] == "lookup" else tree[2]
        for a in args:
            same_year_names(a, out)
    elif tree[0] == "bin":
        same_year_names(tree[2], out)
        same_year_names(tree[3], out)
    elif tree[0] in ("neg", "not"):
        same_year_names(tree[1], out)


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def triangular_inverse(u, lo, mode, hi):
    width = hi - lo
    left = (mode - lo) / width
    return np.where(u < left, lo + np.sqrt(u * width * (mode - lo)),
                    hi - np.sqrt((1.0 - u) * width * (hi - mode)))


BINARY = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power,
    "<": lambda a, b: np.less(a, b) * 1.0, "<=": lambda a, b: np.less_equal(a, b) * 1.0,
    ">": lambda a, b: np.greater(a, b) * 1.0, ">=": lambda a, b: np.greater_equal(a, b) * 1.0,
    "==": lambda a, b: np.equal(a, b) * 1.0, "!=": lambda a, b: np.not_equal(a, b) * 1.0,
    "and": lambda a, b: np.logical_and(a != 0, b != 0) * 1.0,
    "or": lambda a, b: np.logical_or(a != 0, b != 0) * 1.0,
}
FUNCTIONS = {
    "min": np.minimum, "max": np.maximum, "abs": np.abs, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "pow": np.power, "logistic": logistic,
    "clamp": lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
    "if": lambda c, a, b: np.where(np.asarray(c) != 0, a, b),
}


def stream(seed, *key):
    """The random stream of one named quantity: the same in every scenario of a run."""
    return np.random.default_rng([seed, zlib.crc32("\x1f".join(map(str, key)).encode())])


class Sim:
    """The state of one scenario's run: per variable a (years, draws) array of values."""

    def __init__(self, model, draws, seed):
        self.model, self.n, self.seed = model, draws, seed
        self.values = {}  # var -> array (years, draws)
        self.smooth = {}  # (var, occurrence) -> array (draws,) of last year's state
        self.year_index = 0

    def compile(self, var, tree):
        """Turns a tree into a closure of the year index; smooth() and random calls are
        numbered by occurrence in the equation."""
        counter = {"smooth": 0, "random": 0}
        model = self.model

        def build(node):
            kind = node[0]
            if kind == "num":
                value = node[1]
                return lambda: value
            if kind == "name":
                name = node[1]
                if name == "year":
                    return lambda: float(model.base_year + self.year_index)
                if name == "t":
                    return lambda: float(self.year_index)
                if name in model.param_values:
                    value = model.param_values[name]
                    return lambda: value
                store = self.values
                return lambda: store[name][self.year_index]
            if kind == "neg":
                f = build(node[1])
                return lambda: -f()
            if kind == "not":
                f = build(node[1])
                return lambda: (np.asarray(f()) == 0) * 1.0
            if kind == "bin":
                op, a, b = BINARY[node[1]], build(node[2]), build(node[3])
                return lambda: op(a(), b())
            name, args = node[1], node[2]
            if name == "prev":
                target = args[0][1]
                lag = int(args[1][1]) if len(args) > 1 else 1
                store = self.values
                return lambda: store[target][max(self.year_index - lag, 0)]
            if name == "smooth":
                key = (var, counter["smooth"])
                counter["smooth"] += 1
                x, tau = build(args[0]), build(args[1])
                start = 0 if model.vars[var].get("base") is None else 1

                def smooth():
                    value = x()
                    if self.year_index == start:
                        state = np.broadcast_to(value, (self.n,)).astype(float)
                    else:
                        last = self.smooth[key]
                        state = last + (value - last) / tau()
                    self.smooth[key] = state
                    return state

                return smooth
            if name == "lookup":
                xs, ys = model.tables[args[0][1]]
                f = build(args[1])
                return lambda: np.interp(f(), xs, ys)
            if name == "ramp":
                y0, v0, y1, v1 = (build(a) for a in args)

                def ramp():
                    year = model.base_year + self.year_index
                    lo, hi = y0(), y1()
                    w = min(max((year - lo) / (hi - lo), 0.0), 1.0)
                    return v0() * (1 - w) + v1() * w

                return ramp
            fs = [build(a) for a in args]
            n = self.n
            if name in ("normal", "lognormal", "uniform", "triangular"):
                rng = stream(self.seed, "call", var, counter["random"])
                counter["random"] += 1
            if name == "normal":
                return lambda: fs[0]() + fs[1]() * rng.standard_normal(n)
            if name == "lognormal":
                return lambda: np.exp(fs[0]() + fs[1]() * rng.standard_normal(n))
            if name == "uniform":
                return lambda: fs[0]() + (fs[1]() - fs[0]()) * rng.random(n)
            if name == "triangular":
                return lambda: triangular_inverse(rng.random(n), fs[0](), fs[1](), fs[2]())
            f = FUNCTIONS[name]
            if len(fs) == 1:
                return lambda: f(fs[0]())
            if len(fs) == 2:
                return lambda: f(fs[0](), fs[1]())
            return lambda: f(*(g() for g in fs))

        return build(tree)


# ---- files ---------------------------------------------------------------------------------------


class Model:
    def __init__(self):
        self.name, self.base_year, self.end_year = "", 0, 2045
        self.params, self.vars, self.tables = {}, {}, {}
        self.correlations, self.shocks = [], {}
        self.param_values = {}
        self.dims = {}


def merge_param(params, name, value):
    if not isinstance(value, dict):
        params[name] = {"dist": "constant", "value": float(value)}
        return
    fields = {k: v for k, v in value.items() if k != "note"}
    if "dist" in fields or name not in params:
        params[name] = fields
    else:
        params[name].update(fields)


def read_path(path):
    """year -> value, or element -> (year -> value) for a per-element path."""
    if any(isinstance(v, dict) for v in path.values()):
        return {e: read_path(p) for e, p in path.items()}
    return {int(k): float(v) for k, v in path.items()}


def merge_var(vars_, name, spec):
    var = vars_.setdefault(name, {"targets": []})
    for key in ("unit", "base", "min", "max", "dims"):
        if key in spec:
            var[key] = spec[key]
    if "eq" in spec:
        var["eq"], var["path"] = spec["eq"], None
    if "path" in spec:
        var["path"], var["eq"] = read_path(spec["path"]), None
    var["targets"] = var["targets"] + list(spec.get("targets", []))


# ---- dimensions: one scalar item per element ---------------------------------------------------
# The subset of the contract the shipped models use: variables, parameters and shock groups (not
# tables) over one dimension, element-wise equations, and sum()/mean() over every element. An
# element's item is named NAME__ELEMENT while running and written NAME[ELEMENT]. A dimensioned
# shock group becomes one group per element (the matrix within an element, elements independent).

def split_reduction(eq, start):
    """(argument, end) of the call whose '(' is at eq[start]."""
    depth = 0
    for i in range(start, len(eq)):
        depth += {"(": 1, ")": -1}.get(eq[i], 0)
        if depth == 0:
            return eq[start + 1:i], i + 1
    raise ValueError(f"unbalanced parentheses in {eq}")


def expand_dims(model):
    dimensioned = {v: spec["dims"] for v, spec in model.vars.items() if spec.get("dims")}
    dimensioned.update({p: spec["dims"] for p, spec in model.params.items() if spec.get("dims")})
    for group in model.shocks.values():
        for member in group["names"] if group.get("dims") else []:
            dimensioned[member] = group["dims"]
    if not dimensioned:
        return
    for name, dims in dimensioned.items():
        if len(dims) != 1:
            raise ValueError(f"{name}: only one dimension is supported")
    names = re.compile(r"\b(" + "|".join(sorted(dimensioned, key=len, reverse=True)) + r")\b(?!__)")

    def for_element(text, e):
        return names.sub(lambda m: f"{m.group(1)}__{e}", text)

    def rewrite(eq, e):
        out, i = "", 0
        for m in re.finditer(r"\b(sum|mean)\(", eq):
            if m.start() < i:
                continue
            arg, end = split_reduction(eq, m.end() - 1)
            if "," in arg or not names.search(arg):
                continue
            elements = model.dims[dimensioned[names.search(arg).group(1)][0]]
            terms = " + ".join(f"({for_element(arg, x)})" for x in elements)
            reduced = f"({terms})" if m.group(1) == "sum" else f"(({terms}) / {len(elements)})"
            out += eq[i:m.start()] + reduced
            i = end
        return for_element(out + eq[i:], e)

    for name, spec in [(p, s) for p, s in model.params.items() if s.get("dims")]:
        del model.params[name]
        for e in model.dims[spec["dims"][0]]:
            model.params[f"{name}__{e}"] = {k: (x[e] if isinstance(x, dict) else x)
                                            for k, x in spec.items() if k != "dims"}
    for g, group in [(g, s) for g, s in model.shocks.items() if s.get("dims")]:
        del model.shocks[g]
        for e in model.dims[group["dims"][0]]:
            model.shocks[f"{g}__{e}"] = {"names": [f"{n}__{e}" for n in group["names"]],
                                         "matrix": group.get("matrix", np.eye(len(group["names"])))}
    for v, spec in [(v, s) for v, s in model.vars.items() if s.get("dims")]:
        del model.vars[v]
        for e in model.dims[spec["dims"][0]]:
            one = {k: x for k, x in spec.items() if k not in ("dims", "targets")}
            for key in ("base", "min", "max", "path"):
                if isinstance(one.get(key), dict) and e in one[key]:
                    one[key] = one[key][e]
            one["targets"] = [t for t in spec["targets"] if t.get("element") == e]
            one["display"] = f"{v}[{e}]"
            model.vars[f"{v}__{e}"] = one
    for v, spec in model.vars.items():
        if spec.get("eq"):
            spec["eq"] = rewrite(spec["eq"], v.split("__")[1] if "__" in v else "")


def load_model(path):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    header = doc.get("model", {})
    if "extends" in header:
        model = load_model(os.path.join(os.path.dirname(path), header["extends"]))
    else:
        model = Model()
    model.name = header.get("name", model.name)
    model.base_year = header.get("base_year", model.base_year)
    model.end_year = header.get("end_year", model.end_year)
    model.dims.update(doc.get("dims", {}))
    for name, value in doc.get("params", {}).items():
        merge_param(model.params, name, value)
    for name, spec in doc.get("tables", {}).items():
        points = np.array(spec["points"], dtype=float)
        model.tables[name] = (points[:, 0], points[:, 1])
    for name, spec in doc.get("vars", {}).items():
        merge_var(model.vars, name, spec)
    model.correlations += doc.get("correlations", [])
    model.shocks.update(doc.get("shocks", {}))
    return model


def load_scenario(path):
    """(name, model, seed) of a scenario file; a model file runs as its own baseline."""
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    if "scenario" not in doc:
        return os.path.splitext(os.path.basename(path))[0], load_model(path), None
    header = doc["scenario"]
    here = os.path.dirname(path)
    if "extends" in header:
        _, model, seed = load_scenario(os.path.join(here, header["extends"]))
    else:
        model, seed = load_model(os.path.join(here, header["model"])), None
    if "model" in header and "extends" in header:
        model = load_model(os.path.join(here, header["model"]))
    seed = header.get("seed", seed)
    for name, value in doc.get("params", {}).items():
        merge_param(model.params, name, value)
    for name, spec in doc.get("vars", {}).items():
        merge_var(model.vars, name, spec)
    for name, spec in doc.get("tables", {}).items():
        points = np.array(spec["points"], dtype=float)
        model.tables[name] = (points[:, 0], points[:, 1])
    return header["name"], model, seed


# ---- sampling ------------------------------------------------------------------------------------


def normal_cdf(z):
    return 0.5 * np.frompyfunc(math.erfc, 1, 1)(-z / math.sqrt(2.0)).astype(float)


def from_normal_score(p, z):
    """A parameter's value at normal score z (for correlated parameters)."""
    d = p["dist"]
    if d == "normal":
        return p["mean"] + p["sd"] * z
    if d == "lognormal":
        return np.exp(p["mu"] + p["sigma"] * z)
    if d == "uniform":
        return p["min"] + (p["max"] - p["min"]) * normal_cdf(z)
    if d == "triangular":
        return triangular_inverse(normal_cdf(z), p["min"], p["mode"], p["max"])
    raise NotImplementedError(f"correlated {d} parameters")


def sample(p, rng, n):
    d = p["dist"]
    if d == "constant":
        return p["value"]
    if d == "beta":
        lo, hi = p.get("min", 0.0), p.get("max", 1.0)
        return lo + (hi - lo) * rng.beta(p["alpha"], p["beta"], n)
    if d == "triangular":
        return triangular_inverse(rng.random(n), p["min"], p["mode"], p["max"])
    return from_normal_score(p, rng.standard_normal(n))


def sample_params(model, seed, n):
    values = {}
    correlated = set()
    for group in model.correlations:
        factor = np.linalg.cholesky(np.array(group["matrix"], dtype=float))
        rng = stream(seed, "correlation", *group["params"])
        z = factor @ rng.standard_normal((len(group["params"]), n))
        for k, name in enumerate(group["params"]):
            values[name] = from_normal_score(model.params[name], z[k])
            correlated.add(name)
    for name, p in model.params.items():
        if name not in correlated:
            values[name] = sample(p, stream(seed, "param", name), n)
    return values


# ---- one scenario ----------------------------------------------------------------------------------


def dependency_order(model, trees):
    order, state = [], {}

    def visit(v):
        if state.get(v) == 2:
            return
        if state.get(v) == 1:
            raise ValueError(f"cycle through {v}")
        state[v] = 1
        if v in trees:
            deps = set()
            same_year_names(trees[v], deps)
            for d in sorted(deps):
                if d in model.vars:
                    visit(d)
        state[v] = 2
        order.append(v)

    for v in model.vars:
        visit(v)
    return order


def path_values(path, years):
    keys = sorted(path)
    return np.interp(years, keys, [path[k] for k in keys])


def run_scenario(args):
    """(forecast rows, target rows, comparison rows, comparison target rows, the recorded
    variables' values when `keep`, for the scenarios compared with this one)."""
    name, model, seed, draws, reference, keep = args
    expand_dims(model)
    years = model.end_year - model.base_year + 1
    calendar = np.arange(model.base_year, model.end_year + 1, dtype=float)
    model.param_values = sample_params(model, seed, draws)
    sim = Sim(model, draws, seed)
    trees = {v: Parser(s["eq"]).parse() for v, s in model.vars.items() if s.get("eq")}
    order = dependency_order(model, trees)
    for v in model.vars:
        sim.values[v] = np.empty((years, draws))
    shock_factors = {g: np.linalg.cholesky(np.array(s["matrix"], dtype=float))
                     for g, s in model.shocks.items()}
    shock_streams = {g: stream(seed, "shock", g) for g in model.shocks}
    for s in model.shocks.values():
        for member in s["names"]:
            sim.values[member] = np.empty((years, draws))
    funcs = {v: sim.compile(v, t) for v, t in trees.items()}
    paths = {v: path_values(s["path"], calendar) for v, s in model.vars.items() if s.get("path")}

    def finish(v, value):
        spec = model.vars[v]
        if "min" in spec or "max" in spec:
            value = np.clip(value, spec.get("min", -np.inf), spec.get("max", np.inf))
        sim.values[v][sim.year_index] = value

    for y in range(years):
        sim.year_index = y
        for g, s in model.shocks.items():
            z = shock_factors[g] @ shock_streams[g].standard_normal((len(s["names"]), draws))
            for k, member in enumerate(s["names"]):
                sim.values[member][y] = z[k]
        if y == 0:
            # Base values first (prev() of anything reads them), then paths, then the
            # equations of variables without a base value.
            for v, spec in model.vars.items():
                if spec.get("base") is not None:
                    finish(v, spec["base"])
                elif v in paths:
                    finish(v, paths[v][0])
            for v in order:
                if model.vars[v].get("base") is None and v in funcs:
                    finish(v, funcs[v]())
        else:
            for v in order:
                finish(v, paths[v][y] if v in paths else funcs[v]())
        bad = [v for v in order if not np.isfinite(sim.values[v][y]).all()]
        if bad:
            raise ValueError(f"{name}: non-finite {bad[0]} in {model.base_year + y}")
    recorded = {v: sim.values[v] for v, spec in model.vars.items() if is_recorded(spec)}
    forecast, targets = summarise(name, model, recorded, draws)
    rows, target_rows = ([], []) if reference is None else compare(name, model, recorded,
                                                                   REFERENCES[reference])
    kept = (name, model, recorded) if keep else None
    return forecast, targets, rows, target_rows, kept


# ---- statistics ------------------------------------------------------------------------------------

QUANTILES = [0.05, 0.25, 0.50, 0.75, 0.95]
HOLDS = {"below": np.less, "at_most": np.less_equal, "above": np.greater,
         "at_least": np.greater_equal}


def is_recorded(spec):
    """A variable of the output tables: one with a unit or a target."""
    return bool(spec.get("unit") or spec["targets"])


def summarise(name, model, values, draws):
    forecast, targets = [], []
    for v, spec in model.vars.items():
        if v not in values:
            continue
        cube = values[v]  # (years, draws)
        mean = cube.mean(axis=1)
        sd = cube.std(axis=1, ddof=1) if draws > 1 else np.zeros(len(cube))
        q = np.quantile(cube, QUANTILES, axis=1)  # type 7 ("linear"), NumPy's default
        for y in range(len(cube)):
            forecast.append([name, spec.get("display", v), spec.get("unit", ""), model.base_year + y, mean[y], sd[y],
                             *q[:, y]])
        for t in spec["targets"]:
            (comparator,) = [c for c in HOLDS if c in t]
            threshold = float(t[comparator])
            holds = HOLDS[comparator](cube, threshold)  # (years, draws)
            y = t["year"] - model.base_year
            p = holds[y].mean()
            se = math.sqrt(p * (1 - p) / draws)
            p05, p50, p95 = np.quantile(cube[y], [0.05, 0.5, 0.95])
            first = np.where(holds.any(axis=0), holds.argmax(axis=0), np.iinfo(np.int64).max)
            kth = np.partition(first, (draws + 1) // 2 - 1)[(draws + 1) // 2 - 1]
            first_year = "" if kth >= len(cube) else str(model.base_year + kth)
            targets.append([name, spec.get("display", v), t["year"], comparator, threshold, p, se, p50, p05, p95,
                            first_year, t.get("source", "")])
    return forecast, targets


# The scenarios' references (file index -> (name, model, recorded values)), filled before
# the worker processes are forked.
REFERENCES = {}


def compare(name, model, values, reference):
    """compare.csv and compare_targets.csv rows of a scenario against its reference: the
    statistics of the per-draw differences in the years both have."""
    ref_name, ref_model, ref_values = reference
    rows, target_rows = [], []
    offset = model.base_year - ref_model.base_year
    for v, spec in model.vars.items():
        if v not in values or v not in ref_values:
            continue
        a_all, b_all = values[v], ref_values[v]
        # The years both have, as slices (views: no copy of the draws).
        first, last = max(0, -offset), min(len(a_all), len(b_all) - offset)
        if first >= last:
            continue
        ys = range(first, last)
        a, b = a_all[first:last], b_all[first + offset:last + offset]
        diff = a - b
        mean = diff.mean(axis=1)
        q = np.quantile(diff, [0.05, 0.50, 0.95], axis=1)
        higher = (a > b).mean(axis=1)
        for k, y in enumerate(ys):
            rows.append([name, ref_name, spec.get("display", v), spec.get("unit", ""),
                         model.base_year + y, mean[k], q[0, k], q[1, k], q[2, k], higher[k]])
        ref_targets = ref_model.vars[v]["targets"]
        for t in spec["targets"]:
            (comparator,) = [c for c in HOLDS if c in t]
            threshold = float(t[comparator])
            same = [u for u in ref_targets if u["year"] == t["year"] and comparator in u
                    and float(u[comparator]) == threshold]
            y = t["year"] - model.base_year
            if not same or not 0 <= y + offset < len(b_all) or not 0 <= y < len(a_all):
                continue
            met = HOLDS[comparator](a_all[y], threshold)
            ref_met = HOLDS[comparator](b_all[y + offset], threshold)
            p, p_ref = met.mean(), ref_met.mean()
            d = met.astype(float) - ref_met
            se = d.std(ddof=1) / math.sqrt(len(d)) if len(d) > 1 else 0.0
            target_rows.append([name, ref_name, spec.get("display", v), t["year"], comparator,
                                threshold, p, p_ref, p - p_ref, se])
    return rows, target_rows


def fmt(x):
    if isinstance(x, (float, np.floating)):
        x = float(x)
        return repr(x) if x != int(x) or abs(x) >= 1e16 else str(int(x))
    return str(x)


def quote(s):
    s = str(s)
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--draws", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", default="out-numpy")
    a = ap.parse_args()
    start = time.perf_counter()
    loaded = [load_scenario(f) for f in a.files]
    # Each scenario is compared with the first file of its model (tamnhin run's pairing).
    first_of_model = {}
    for i, (_, model, _) in enumerate(loaded):
        first_of_model.setdefault(model.name, i)
    compared = len(loaded) >= 2
    work = []
    for i, (name, model, seed) in enumerate(loaded):
        reference = first_of_model[model.name]
        # Common random numbers across scenarios, as in tamnhin: one seed for every scenario.
        work.append((name, model, a.seed if a.seed is not None else (seed or 2024), a.draws,
                     reference if compared and reference != i else None,
                     compared and reference == i))
    results = [None] * len(work)
    for i in sorted(set(first_of_model.values())) if compared else []:
        results[i] = run_scenario(work[i])
        REFERENCES[i] = results[i][4]
    rest = [i for i in range(len(work)) if results[i] is None]
    if a.jobs > 1:
        # Forked after the references are in memory: the workers read them, unpickled.
        with ProcessPoolExecutor(a.jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for i, r in zip(rest, pool.map(run_scenario, [work[i] for i in rest])):
                results[i] = r
    else:
        for i in rest:
            results[i] = run_scenario(work[i])
    os.makedirs(a.out, exist_ok=True)
    tables = [("forecast.csv", "scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95", 0),
              ("targets.csv", "scenario,variable,year,comparator,threshold,probability,"
               "probability_se,p50,p05,p95,first_year_p50,source", 1)]
    if compared:
        tables += [("compare.csv", "scenario,reference,variable,unit,year,mean_diff,p05_diff,"
                    "p50_diff,p95_diff,prob_higher", 2),
                   ("compare_targets.csv", "scenario,reference,variable,year,comparator,"
                    "threshold,probability,reference_probability,difference,difference_se", 3)]
    for file, header, part in tables:
        with open(os.path.join(a.out, file), "w") as f:
            f.write(header + "\n")
            for result in results:
                for row in result[part]:
                    f.write(",".join(quote(fmt(x)) for x in row) + "\n")
    print(f"numpy baseline: {len(work)} scenarios x {a.draws} draws, {a.jobs} process(es): "
          f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
