#!/usr/bin/env bash
# The default study end to end, as tools/run-study.sh runs it but at reduced draws: every
# file of scenarios/default-study.txt, one run, a scorecard with all four provinces, and
# targets.csv rows for every scenario.   usage: study.sh TAMNHIN ROOT OUTDIR DRAWS
set -euo pipefail
tamnhin=$1 root=$2 out=$3 draws=$4
cd "$root"
mapfile -t files < <(grep -v '^\s*\(#\|$\)' scenarios/default-study.txt)
[ "${#files[@]}" -ge 32 ] || { echo "default study lists ${#files[@]} files, expected >= 32"; exit 1; }
rm -rf "$out"
"$tamnhin" run "${files[@]}" --draws "$draws" --out "$out" > "$out.scorecard.txt"
cat "$out.scorecard.txt"
grep -q "Long An (pre-merger) social policy" "$out.scorecard.txt"
grep -q "Bắc Giang (pre-merger) social policy" "$out.scorecard.txt"
grep -q "Tây Ninh (merged 2025)" "$out.scorecard.txt"
grep -q "Bắc Ninh (merged 2025)" "$out.scorecard.txt"
for f in "${files[@]}"; do
  name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$f" | head -1)
  grep -q "^$name," "$out/targets.csv" || { echo "no targets for $name"; exit 1; }
done
echo "default study ok: ${#files[@]} scenarios"
