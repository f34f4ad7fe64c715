#!/usr/bin/env bash
# Output safety and resource guards, through the command line:
#   sigint, sigterm      a signal during a long run: exit 130 within a second, the out dir
#                        exactly as it was (no partial tables, no temporary files)
#   signal_early         a signal right after start (while loading): the same
#   write_error          the final write fails (file size limit, and a full tmpfs when one
#                        can be mounted): exit 2 naming the file, no partial table, no temp
#   out_not_writable     --out where nothing can be created: exit 2 before simulating
#   memory_guard         --draws 100000000 on four scenarios: exit 2 with the figures
# Exit 77 (CTest: skipped) when the machine cannot stage the situation.
# Usage: safety.sh TAMNHIN SRC CASE
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
base=$EXAMPLES/baseline.toml
health=$EXAMPLES/health_first.toml

# handler_installed PID SIGNAL: whether tamnhin's handler for SIGNAL is in place: the
# process is tamnhin already (not the shell's child before exec, which catches SIGINT
# itself) and catches SIGNAL (its bit in SigCgt of /proc/PID/status).
handler_installed() {
  local mask number
  [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(readlink -f "$TAMNHIN")" ] || return 1
  mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$mask" ] || return 1
  number=$(kill -l "$2")
  (((16#$mask >> (number - 1)) & 1))
}

# interrupt SIGNAL DELAY NAME: starts a run long enough to be busy for minutes (1,000,000
# draws of two scenarios), sends SIGNAL after DELAY seconds and expects exit 130 within a
# second, with the out dir untouched. DELAY "early" sends it as soon as the handler is
# installed (the first thing main() does, before the files are read): how long the
# process takes to get there varies (a sanitizer build loads for tens of milliseconds),
# and a signal before main() is the shell's default action, not tamnhin's to handle.
interrupt() {
  local signal=$1 delay=$2 name=$3 out=$WORK/out_$3
  old_outputs "$out"
  "$TAMNHIN" run "$base" "$health" --draws 1000000 --out "$out" \
    >"$WORK/$name.out" 2>"$WORK/$name.err" &
  local pid=$!
  if [ "$delay" = early ]; then
    local polls=0
    until handler_installed "$pid" "$signal" || [ "$polls" -ge 2000 ]; do
      polls=$((polls + 1))
    done
  else
    sleep "$delay"
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    fail "$name: the run ended (exit $?) before the signal; nothing was tested"
    return
  fi
  local sent waited=0
  sent=$(date +%s%N)
  kill -s "$signal" "$pid"
  # Wait in steps of 50 ms, for at most 1 s, then kill it so the test does not hang.
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 20 ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    fail "$name: still running 1 s after SIG$signal"
    kill -9 "$pid"
  fi
  wait "$pid"
  local status=$? took=$((($(date +%s%N) - sent) / 1000000))
  note "$name: SIG$signal after $delay -> exit $status in $took ms"
  [ "$status" -eq 130 ] || fail "$name: exit status $status, expected 130"
  grep -q "interrupted; nothing was written" "$WORK/$name.err" ||
    fail "$name: stderr lacks 'interrupted; nothing was written': $(cat "$WORK/$name.err")"
  unchanged "$out" "$name"
}

case "${3:-}" in
  sigint) interrupt INT 1.5s sigint ;;
  sigterm) interrupt TERM 1.5s sigterm ;;
  signal_early)
    interrupt INT early sigint_early
    interrupt TERM early sigterm_early
    ;;
  write_error)
    # A file size limit of 8 KiB: the probe of --out (6 bytes) passes, forecast.csv (about
    # 40 KiB) cannot be written. With SIGXFSZ ignored, write(2) fails with EFBIG.
    out=$WORK/out_fsize
    old_outputs "$out"
    (trap '' XFSZ && ulimit -f 8 && exec "$TAMNHIN" run "$base" --draws 500 --quiet --out "$out") \
      >"$WORK/fsize.out" 2>"$WORK/fsize.err"
    STATUS=$? LAST=fsize
    expect_status 2
    # The first file to exceed the limit is named: tables.xlsx, built before the others.
    expect_stderr_contains "tables.xlsx"
    expect_stderr_contains "cannot write: File too large"
    unchanged "$out" "file size limit"
    # A full file system, when this machine lets us mount a small tmpfs (root, and a
    # container that allows it).
    tiny=$WORK/tiny
    mkdir -p "$tiny"
    if mount -t tmpfs -o size=48k tmpfs "$tiny" 2>/dev/null; then
      trap 'umount "$tiny" 2>/dev/null; rm -rf "$WORK"' EXIT
      old_outputs "$tiny"
      run_tamnhin full run "$base" --draws 500 --quiet --out "$tiny"
      expect_status 2
      expect_stderr_contains "No space left on device"
      unchanged "$tiny" "full disk"
      umount "$tiny"
    else
      note "cannot mount a tmpfs here: the full-disk part is skipped (the file size limit stands in)"
    fi
    ;;
  out_not_writable)
    # /proc accepts no new directory, even from root.
    run_tamnhin proc run "$BAD/runtime_nan.toml" --out /proc/tamnhin-out
    expect_status 2
    expect_stderr_contains "cannot create output directory"
    grep -q "NaN" "$WORK/proc.err" && fail "proc: simulated before rejecting --out"
    # A read-only directory: root ignores permissions, so only when not root.
    if [ "$(id -u)" -ne 0 ]; then
      mkdir -p "$WORK/readonly"
      chmod 555 "$WORK/readonly"
      run_tamnhin readonly run "$BAD/runtime_nan.toml" --out "$WORK/readonly"
      expect_status 2
      expect_stderr_contains "cannot write in output directory"
      grep -q "NaN" "$WORK/readonly.err" && fail "readonly: simulated before rejecting --out"
      [ -z "$(dir_listing "$WORK/readonly")" ] || fail "readonly: files were left in it"
      run_tamnhin readonly_sub run "$base" --out "$WORK/readonly/sub"
      expect_status 2
      chmod 755 "$WORK/readonly"
    else
      note "running as root: the read-only directory part is skipped (root may write anywhere)"
    fi
    ;;
  memory_guard)
    # Four Long An scenarios at the largest --draws allowed need far more than any CI
    # machine has (about 220 GiB); skip on a machine that has that much.
    available_kib=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
    if [ -n "$available_kib" ] && [ "$available_kib" -gt $((400 * 1024 * 1024)) ]; then
      echo "skipped: this machine has more than 400 GiB available"
      exit 77
    fi
    la=$SRC/scenarios/long_an
    out=$WORK/out_memory
    started=$(date +%s)
    run_tamnhin memory run "$la/baseline.toml" "$la/high_growth.toml" "$la/low_growth.toml" \
      "$la/budget_plus.toml" --draws 100000000 --out "$out"
    expect_status 2
    expect_stderr_contains "needs about"
    expect_stderr_contains "available"
    expect_stderr_contains "GiB"
    expect_stderr_contains "--draws"
    [ $(($(date +%s) - started)) -le 10 ] || fail "memory: the refusal took more than 10 s"
    [ -z "$(dir_listing "$out")" ] || fail "memory: wrote into the out dir"
    ;;
  *)
    echo "usage: $0 TAMNHIN SRC sigint|sigterm|signal_early|write_error|out_not_writable|memory_guard" >&2
    exit 2
    ;;
esac
e2e_finish
