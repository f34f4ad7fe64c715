#!/usr/bin/env bash
# Golden regression test: one case of cases.txt must reproduce expected/NAME/ byte for byte.
# Usage: check.sh TAMNHIN_BINARY SOURCE_DIR NAME
# On a difference it prints, per file, the first differing line (expected vs calculated)
# and how many lines differ. To accept new outputs on purpose, run tests/golden/update.sh.
set -u
export LC_ALL=C
if [ $# -ne 3 ]; then
  echo "usage: $0 TAMNHIN_BINARY SOURCE_DIR NAME" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
tamnhin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
name=$3
expected=$here/expected/$name
work=$(mktemp -d "${TMPDIR:-/tmp}/tamnhin-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! golden_run "$tamnhin" "$src" "$name" "$work/out" >"$work/log" 2>&1; then
  echo "FAIL: golden case '$name': tamnhin run failed:" >&2
  sed 's/^/    | /' "$work/log" | head -20 >&2
  exit 1
fi

failures=0
for f in "${GOLDEN_OUTPUTS[@]}"; do
  if cmp -s "$expected/$f" "$work/out/$f"; then
    echo "ok: $name/$f identical ($(wc -l <"$expected/$f") lines)"
    continue
  fi
  failures=$((failures + 1))
  echo "FAIL: golden case '$name': $f differs from tests/golden/expected/$name/$f" >&2
  # The first differing line, side by side with its header so the column is readable.
  paste -d '\n' "$expected/$f" "$work/out/$f" | awk -v f="$f" '
    NR == 1 { header = $0 }
    NR % 2 == 1 { e = $0; next }
    e != $0 && !shown {
      line = (NR / 2)
      printf "  first difference at line %d of %s\n    header:     %s\n    expected:   %s\n    calculated: %s\n",
             line, f, header, e, $0 > "/dev/stderr"
      shown = 1
    }
    e != $0 { n++ }
    END { if (n) printf "  %d line(s) differ\n", n > "/dev/stderr" }'
  el=$(wc -l <"$expected/$f")
  cl=$(wc -l <"$work/out/$f")
  [ "$el" = "$cl" ] || echo "  expected $el lines, calculated $cl lines" >&2
done

if [ "$failures" -ne 0 ]; then
  if ! diff -q <(golden_inputs_digest "$src") "$here/expected/inputs.sha256" >/dev/null 2>&1; then
    echo "note: a model or scenario file changed since the golden was recorded" \
         "(tests/golden/expected/inputs.sha256); if the model change is intended," \
         "regenerate with tests/golden/update.sh and commit the new expected files" >&2
  else
    echo "note: the inputs are unchanged, so the engine's output changed. Outputs must stay" \
         "byte-identical (issue 4); if the change is intended and explained, regenerate with" \
         "tests/golden/update.sh in its own commit" >&2
  fi
  exit 1
fi
exit 0
