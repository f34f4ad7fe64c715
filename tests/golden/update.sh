#!/usr/bin/env bash
# Regenerates tests/golden/expected/ from a tamnhin binary (the update switch of the golden
# test). Only for a deliberate, explained change of outputs; commit the result on its own.
# Usage: tests/golden/update.sh [TAMNHIN_BINARY]   (default: build/release/tamnhin)
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/lib.sh"
tamnhin=${1:-$src/build/release/tamnhin}
tamnhin=$(cd "$(dirname "$tamnhin")" && pwd)/$(basename "$tamnhin")
[ -x "$tamnhin" ] || { echo "no tamnhin binary at $tamnhin (build first)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/tamnhin-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
for name in $(golden_cases); do
  golden_run "$tamnhin" "$src" "$name" "$work/$name"
  mkdir -p "$here/expected/$name"
  for f in "${GOLDEN_OUTPUTS[@]}"; do cp "$work/$name/$f" "$here/expected/$name/$f"; done
golden_inputs_digest "$src" >"$here/expected/inputs.sha256"
  echo "updated tests/golden/expected/$name ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?'))"
done
golden_inputs_digest "$src" >"$here/expected/inputs.sha256"
