#!/usr/bin/env python3
"""Builds the fuzz seed corpus from every .toml file under scenarios/ and tests/data/.

Usage: make_corpus.py SOURCE_DIR OUT_DIR   (writes OUT_DIR/load/ and OUT_DIR/expression/)

load/: one input per file, in load_fuzzer's format: the file, then the files it names
through `model = "..."` and `extends = "..."` (recursively), joined by lines "#%%", each
reference rewritten to the part's name f<k>.toml, so a scenario arrives with its model
and the shared equations it builds on.
expression/: the text of every `eq` found, one per input.
"""
import hashlib
import pathlib
import re
import sys
import tomllib

SEPARATOR = "\n#%%\n"
MAX_PARTS = 4  # as load_fuzzer.cpp
REFERENCE = re.compile(r'^(\s*(?:model|extends)\s*=\s*)"([^"]*)"', re.MULTILINE)
EQ = re.compile(r'\beq\s*=\s*"((?:[^"\\\n]|\\.)*)"')


def bundle(first: pathlib.Path) -> str:
    parts: list[pathlib.Path] = [first.resolve()]
    texts: list[str] = []
    k = 0
    while k < len(parts):
        path = parts[k]
        text = path.read_bytes().decode("utf-8", errors="replace")

        def rename(m: re.Match) -> str:
            target = (path.parent / m.group(2)).resolve()
            if not target.is_file():
                return m.group(0)  # a missing file stays missing
            if target not in parts:
                if len(parts) == MAX_PARTS:
                    return m.group(0)
                parts.append(target)
            return f'{m.group(1)}"f{parts.index(target)}.toml"'

        texts.append(REFERENCE.sub(rename, text))
        k += 1
    return SEPARATOR.join(texts)


def equations(path: pathlib.Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    found = []
    try:
        def walk(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "eq" and isinstance(value, str):
                        found.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)
        walk(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, RecursionError):
        found = [m.group(1) for m in EQ.finditer(text)]  # a bad file still has equations
    return found


def write(directory: pathlib.Path, content: str) -> None:
    data = content.encode("utf-8", errors="replace")
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> int:
    source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    load, expression = out / "load", out / "expression"
    for d in (load, expression):
        d.mkdir(parents=True, exist_ok=True)
    files = sorted(p for root in ("scenarios", "tests/data") for p in (source / root).rglob("*.toml"))
    for path in files:
        write(load, bundle(path))
        for eq in equations(path):
            write(expression, eq)
    # A few equations the files lack: every function, operator and edge of the grammar.
    for eq in ["prev(x, 2) * 1.02 + normal(0, 1)", "-x^2^-1", "not a < b and c >= d or e != f",
               "if(x <= 0, lookup(t, x), ramp(2025, 0.2, 2030, 0.3))", "smooth(x, 3) / .5e-3",
               "clamp(x, 0, 1) - min(a, b, c) + max(a) + abs(log(exp(sqrt(pow(x, 2)))))",
               "logistic(year - 2030 + t) == triangular(0, 1, 2) * uniform(0, 1) * lognormal(0, 1)"]:
        write(expression, eq)
    print(f"{len(files)} files -> {sum(1 for _ in load.iterdir())} load seeds, "
          f"{sum(1 for _ in expression.iterdir())} expression seeds in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
