# Shared helpers of the end-to-end tests (sourced by every script).
# Usage in a script:  source "$(dirname "$0")/lib.sh"; e2e_init "$@"
# Gives: $TAMNHIN (the binary), $SRC (the source tree), $WORK (a scratch dir, removed at
# exit), and the assertion helpers below. Every failed assertion is printed; the script
# exits 1 at the end if any failed (so one run shows every problem, like `check`).
set -u

E2E_FAILURES=0

e2e_init() {
  if [ $# -lt 2 ]; then
    echo "usage: $0 TAMNHIN_BINARY SOURCE_DIR [args...]" >&2
    exit 2
  fi
  TAMNHIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  SRC=$(cd "$2" && pwd)
  EXAMPLES=$SRC/scenarios/examples
  BAD=$SRC/tests/data/bad
  GOOD=$SRC/tests/data/good
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/tamnhin-e2e.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  export LC_ALL=C
}

fail() {
  echo "FAIL: $*" >&2
  E2E_FAILURES=$((E2E_FAILURES + 1))
}

note() { echo "-- $*"; }

# e2e_finish: the script's last line.
e2e_finish() {
  if [ "$E2E_FAILURES" -ne 0 ]; then
    echo "$E2E_FAILURES assertion(s) failed" >&2
    exit 1
  fi
  echo "all assertions passed"
  exit 0
}

# run_tamnhin NAME ARGS...: runs the binary, keeps stdout/stderr in $WORK/NAME.out/.err,
# sets $STATUS. Never aborts the script.
run_tamnhin() {
  local name=$1
  shift
  "$TAMNHIN" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  STATUS=$?
  LAST=$name
}

# expect_status N: the last run_tamnhin exited with N; shows its output otherwise.
expect_status() {
  if [ "$STATUS" -ne "$1" ]; then
    fail "$LAST: exit status $STATUS, expected $1"
    sed 's/^/    stdout| /' "$WORK/$LAST.out" | head -20 >&2
    sed 's/^/    stderr| /' "$WORK/$LAST.err" | head -20 >&2
    return 1
  fi
  if grep -q "internal error" "$WORK/$LAST.err"; then
    fail "$LAST: stderr reports an internal error"
  fi
  return 0
}

# expect_stderr_contains TEXT: literal substring of the last run's stderr.
expect_stderr_contains() {
  grep -qF -- "$1" "$WORK/$LAST.err" || {
    fail "$LAST: stderr lacks '$1'"
    sed 's/^/    stderr| /' "$WORK/$LAST.err" | head -20 >&2
  }
}

# same_file A B WHAT: byte-identical files.
same_file() {
  if ! cmp -s "$1" "$2"; then
    fail "$3: $1 and $2 differ"
    diff "$1" "$2" | head -6 | sed 's/^/    /' >&2
    return 1
  fi
  return 0
}

# different_file A B WHAT: files that must differ.
different_file() {
  if cmp -s "$1" "$2"; then
    fail "$3: $1 and $2 are identical, expected a difference"
    return 1
  fi
  return 0
}

# dir_listing DIR: every entry, hidden ones included, sorted (empty if DIR is absent).
dir_listing() {
  [ -d "$1" ] || return 0
  (cd "$1" && find . -mindepth 1 | sort)
}

# --- old outputs that a failed or interrupted run must leave intact (atomic.sh, safety.sh) ---
# old_outputs DIR: a previous run's files (and a user's own file) to be kept intact.
old_outputs() {
  mkdir -p "$1"
  printf 'scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95\nold,row,x,2023,1,0,1,1,1,1,1\n' >"$1/forecast.csv"
  printf 'old targets\n' >"$1/targets.csv"
  printf '{"old": true}\n' >"$1/run.json"
  printf 'my notes\n' >"$1/notes.txt"
  rm -rf "$WORK/snapshot"
  cp -a "$1" "$WORK/snapshot"
}

# unchanged DIR WHAT: DIR holds exactly the snapshot's files, byte for byte.
unchanged() {
  local a b f
  a=$(dir_listing "$WORK/snapshot" | tr '\n' ' ')
  b=$(dir_listing "$1" | tr '\n' ' ')
  [ "$a" = "$b" ] || fail "$2: the out dir now holds: $b (before: $a)"
  for f in forecast.csv targets.csv run.json notes.txt; do
    [ -f "$1/$f" ] && same_file "$WORK/snapshot/$f" "$1/$f" "$2: $f"
  done
}
