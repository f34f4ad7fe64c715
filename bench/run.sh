#!/usr/bin/env bash
# Every performance figure of docs/performance.md in one command: builds the `bench`
# preset (Release + Google Benchmark), runs the micro-benchmarks, then times `tamnhin run`
# end to end (wall time, peak RSS from /usr/bin/time -v, vyd/s = variables x years x draws
# / wall time) on the default study, a large study of 64 scenarios, and one scenario with
# 1,000,000 draws; plus the naive comparison (--batch 1: one draw at a time through the
# same program). Reports only: nothing here passes or fails on a number.
#
# First of all, side by side in the same run: tamnhin against bench/numpy_baseline.py (an
# independent NumPy implementation of the same contract, writing the same tables: forecast,
# targets and the paired comparisons with the reference) on the Long An scenarios (8
# policy scenarios + the hold-out, 20,000 draws), run in turn three times, the ratio of the
# median wall times, and bench/compare_means.py's check that the two agree within Monte
# Carlo error.
#
#   bench/run.sh                 everything (about 8 minutes on 2 cores)
#   QUICK=1 bench/run.sh         shorter micro-benchmarks; skips the 1,000,000-draw run
#   RATIO_ONLY=1 bench/run.sh    only the side-by-side runs against NumPy
#   RATIO_RUNS=5 bench/run.sh    the side-by-side programs in turn 5 times (default 3), medians
#   BENCH_FILTER=Philox bench/run.sh   only the micro-benchmarks matching a regex
#   TAMNHIN=path/to/tamnhin RATIO_ONLY=1 bench/run.sh   time that binary, build nothing
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export LC_ALL=C

quick=${QUICK:-0}
min_time=$([ "$quick" = 1 ] && echo 0.05 || echo 0.5)
ratio_only=${RATIO_ONLY:-0}
python=/usr/bin/python3  # Debian's, with python3-numpy (tools/setup.sh)
if [ -n "${TAMNHIN:-}" ]; then
  bin=$(realpath "$TAMNHIN")
else
  cmake --preset bench >/dev/null
  if [ "$ratio_only" = 1 ]; then
    cmake --build --preset bench -j "$(nproc)" --target tamnhin
  else
    cmake --build --preset bench -j "$(nproc)"
  fi
  bin=$root/build/bench/tamnhin
fi
bench=$root/build/bench/tamnhin_bench
work=$(mktemp -d "${TMPDIR:-/tmp}/tamnhin-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
     "$(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%FT%TZ)"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"

# wall_of FILE: seconds from /usr/bin/time -v's output.
wall_of() {
  sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" |
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'
}
rss_of() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

if [ -z "${BENCH_FILTER:-}" ]; then
echo
echo "== side by side: tamnhin against a vectorised NumPy implementation (bench/numpy_baseline.py)"
la=(baseline low_growth high_growth health_first skills_first water_first protection_first
    budget_plus holdout_2024)
la=("${la[@]/#/scenarios/long_an/}")
la=("${la[@]/%/.toml}")
ratio_draws=${RATIO_DRAWS:-20000}
ratio_runs=${RATIO_RUNS:-3}
cores=$(nproc)
# The three programs run in turn, RATIO_RUNS times, and the medians are compared. One run
# each is not enough on a virtual machine that hands freed memory back to its host within
# seconds (virtio-balloon free page reporting; docs/performance.md, "Eighth session"): the
# first program after an idle moment pays about 2 ms per MiB it touches in host page
# faults, the next one reuses pages the previous one freed. Alternating gives each
# program the same footing; every run's time is printed, not only the medians.
: >"$work/walls.txt"
for i in $(seq "$ratio_runs"); do
  /usr/bin/time -v "$bin" run "${la[@]}" --draws "$ratio_draws" --threads "$cores" --quiet \
    --out "$work/ratio-tamnhin" 2>"$work/time-t.txt" >/dev/null
  /usr/bin/time -v "$python" bench/numpy_baseline.py "${la[@]}" --draws "$ratio_draws" --jobs 1 \
    --out "$work/ratio-numpy1" 2>"$work/time-n1.txt" >/dev/null
  /usr/bin/time -v "$python" bench/numpy_baseline.py "${la[@]}" --draws "$ratio_draws" \
    --jobs "$cores" --out "$work/ratio-numpy" 2>"$work/time-n.txt" >/dev/null
  echo "$(wall_of "$work/time-t.txt") $(wall_of "$work/time-n1.txt") $(wall_of "$work/time-n.txt")" \
    >>"$work/walls.txt"
done
awk -v c="$cores" -v d="$ratio_draws" \
  -v rt="$(rss_of "$work/time-t.txt")" -v rn1="$(rss_of "$work/time-n1.txt")" \
  -v rn="$(rss_of "$work/time-n.txt")" '
  function median(a, n,   i, j, t) {  # insertion sort, then the middle (or the mean of two)
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { k++; t[k] = $1; n1[k] = $2; n[k] = $3; ts = ts sprintf(" %.2f", $1); n1s = n1s sprintf(" %.2f", $2); ns = ns sprintf(" %.2f", $3) }
  END {
    mt = median(t, k); mn1 = median(n1, k); mn = median(n, k)
    printf "runs in turn: %d; wall seconds of each run: tamnhin%s | numpy 1 process%s | numpy %d processes%s\n", k, ts, n1s, c, ns
    printf "tamnhin run, %d threads              %7.2f s  %6.0f MiB peak RSS  (median; 9 scenarios x %d draws)\n", c, mt, rt / 1024, d
    printf "numpy_baseline.py, 1 process         %7.2f s  %6.0f MiB peak RSS  ratio %.1fx\n", mn1, rn1 / 1024, mn1 / mt
    printf "numpy_baseline.py, %d processes       %7.2f s  %6.0f MiB peak RSS  ratio %.1fx (same cores)\n", c, mn, rn / 1024, mn / mt
  }' "$work/walls.txt"
"$python" bench/compare_means.py "$work/ratio-tamnhin" "$work/ratio-numpy" --draws "$ratio_draws"
if [ "$ratio_only" = 1 ]; then
  echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
fi

echo
echo "== micro-benchmarks (Google Benchmark; ns per lane, normals/s, vyd/s of the simulation core)"
"$bench" --benchmark_min_time="$min_time" --benchmark_filter="${BENCH_FILTER:-.}"
[ -n "${BENCH_FILTER:-}" ] && exit 0

# vyd of a run: sum over its scenario files of variables x years, times draws.
variable_years() {
  "$bin" check "$@" | sed -n 's/.*, \([0-9][0-9]*\) variables, \([0-9]*\)\.\.\([0-9]*\))$/\1 \2 \3/p' |
    awk '{ s += $1 * ($3 - $2 + 1) } END { print s }'
}

# e2e LABEL DRAWS THREADS [extra tamnhin args] -- FILES...
e2e() {
  local label=$1 draws=$2 threads=$3
  shift 3
  local extra=()
  while [ "$1" != -- ]; do extra+=("$1"); shift; done
  shift
  local vy
  vy=$(variable_years "$@")
  /usr/bin/time -v "$bin" run "$@" --draws "$draws" --threads "$threads" "${extra[@]}" \
    --quiet --out "$work/out" 2>"$work/time.txt" >/dev/null
  local wall rss
  wall=$(wall_of "$work/time.txt")
  rss=$(rss_of "$work/time.txt")
  awk -v l="$label" -v n=$# -v d="$draws" -v t="$threads" -v vy="$vy" -v w="$wall" -v r="$rss" \
    'BEGIN { vyd = vy * d; printf "%-34s %3d scen  %8d draws  %d thr  %7.2f s  %8.1f M vyd/s  %7.0f MiB peak RSS\n",
             l, n, d, t, w, vyd / w / 1e6, r / 1024 }'
}

mapfile -t study < <(grep -v '^\s*\(#\|$\)' scenarios/default-study.txt)
# A large study: 64 scenarios, the 8 Long An ones under 8 names each; and its first 4.
mkdir -p "$work/large"
large=()
for i in $(seq 0 63); do
  base=${study[$((i % 8))]}
  printf '[scenario]\nname = "large_%02d"\nextends = "%s"\n' "$i" "$root/$base" >"$work/large/s$i.toml"
  large+=("$work/large/s$i.toml")
done

echo
echo "== end to end: tamnhin run (load, compile, sample, simulate, summarise, write)"
printf '%-34s %s\n' "run" "scenarios, draws, threads, wall, vyd/s, peak RSS"
e2e "default study" 10000 1 -- "${study[@]}"
e2e "default study" 10000 2 -- "${study[@]}"
e2e "large study, first 4 scenarios" 10000 2 -- "${large[@]:0:4}"
e2e "large study" 10000 2 -- "${large[@]}"
e2e "naive: default study, --batch 1" 10000 2 --batch 1 -- "${study[@]}"
if [ "$quick" != 1 ]; then
  e2e "one scenario, 1,000,000 draws" 1000000 2 -- "${study[0]}"
fi
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
