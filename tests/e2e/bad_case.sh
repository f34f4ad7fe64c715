#!/usr/bin/env bash
# One malformed input (tests/data/bad/<case>.toml or <case>/ with <case>.expect):
#   tamnhin check <input>         -> exit `check_exit` (default: `exit`), and when 2 the
#                                    expected words on stderr
#   tamnhin run <input> --out D   -> exit `exit` (2), the expected words on stderr, and no
#                                    file written: D is empty or absent
# The .expect sidecar has lines
#   exit: N                 expected exit status of run (and of check by default)
#   check_exit: N           expected exit status of check, when it differs (run-time errors)
#   input: FILE             for a directory case: the file to pass, inside <case>/
#   generate: KIND          the input is made here: directory, missing, binary, invalid_utf8,
#                           oversized, deep_parens, long_chain, long_name, dotted_key
#   contains: TEXT          literal text that stderr must contain (all lines must hold)
#   matches: REGEX          extended regular expression that some stderr line must match
# and '#' comments.
# Usage: bad_case.sh TAMNHIN SOURCE_DIR CASE
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
CASE=$3
EXPECT=$BAD/$CASE.expect
[ -f "$EXPECT" ] || { echo "no $EXPECT" >&2; exit 2; }

want_exit=2
check_exit=
input=
generate=
contains=()
matches=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    '#'* | '') ;;
    exit:*) want_exit=$(echo "${line#exit:}" | tr -d ' ') ;;
    check_exit:*) check_exit=$(echo "${line#check_exit:}" | tr -d ' ') ;;
    input:*) input=$(echo "${line#input:}" | tr -d ' ') ;;
    generate:*) generate=$(echo "${line#generate:}" | tr -d ' ') ;;
    contains:*) t=${line#contains:}; contains+=("${t# }") ;;
    matches:*) t=${line#matches:}; matches+=("${t# }") ;;
    *) echo "$EXPECT: cannot read line: $line" >&2; exit 2 ;;
  esac
done <"$EXPECT"
: "${check_exit:=$want_exit}"
if [ ${#contains[@]} -eq 0 ] && [ ${#matches[@]} -eq 0 ]; then
  echo "$EXPECT: no 'contains:' or 'matches:' line" >&2
  exit 2
fi

# The input file.
if [ -n "$generate" ]; then
  file=$WORK/$CASE.toml
  case "$generate" in
    directory) mkdir -p "$file" ;;
    missing) ;;
    binary)
      # An ELF header: a NUL byte at offset 7 (line 1, column 8), then more garbage.
      printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000\001\000\000\000\300\021' >"$file"
      head -c 512 /dev/zero | tr '\0' '\377' >>"$file"
      ;;
    invalid_utf8)
      # A byte that is never UTF-8 (0xFF) inside the region name on line 3.
      printf '[model]\nname      = "invalid UTF-8"\nregion    = "Long An \377"\nbase_year = 2023\nend_year  = 2030\n\n[vars.gdp]\nunit = "index"\nbase = 1.0\neq   = "prev(gdp) * 1.02"\n' >"$file"
      ;;
    oversized)
      # Past the 16 MiB limit: a valid model followed by 17 MB of comment lines.
      printf '[model]\nname = "big"\nbase_year = 2023\n' >"$file"
      yes '# padding padding padding padding padding padding padding padding padding padding' |
        head -c 17000000 >>"$file"
      ;;
    deep_parens)
      # 100,000 nested parentheses: an error, not a stack overflow.
      { printf '[model]\nname = "deep"\nbase_year = 2023\n\n[vars.x]\nunit = "u"\neq = "'
        head -c 100000 /dev/zero | tr '\0' '('
        printf '1'
        head -c 100000 /dev/zero | tr '\0' ')'
        printf '"\n'; } >"$file"
      ;;
    long_chain)
      # 1 + 1 + ... 50,000 terms: a tree 50,000 high, refused at 1,000.
      { printf '[model]\nname = "chain"\nbase_year = 2023\n\n[vars.x]\nunit = "u"\neq = "1'
        yes ' + 1' | head -n 50000 | tr -d '\n'
        printf '"\n'; } >"$file"
      ;;
    long_name)
      # A variable whose name is 100,000 letters long, used in its own equation.
      name=$(head -c 100000 /dev/zero | tr '\0' 'a')
      printf '[model]\nname = "long"\nbase_year = 2023\n\n[vars.%s]\nunit = "u"\nbase = 1\neq = "prev(%s)"\n' \
        "$name" "$name" >"$file"
      ;;
    dotted_key)
      # A table header of 100,000 dotted parts (toml++ would recurse once per part).
      { printf '[model]\nname = "dotted"\nbase_year = 2023\n\n['
        yes 'a.' | head -n 99999 | tr -d '\n'
        printf 'a]\nb = 1\n'; } >"$file"
      ;;
    *) echo "$EXPECT: unknown generate kind '$generate'" >&2; exit 2 ;;
  esac
elif [ -n "$input" ]; then
  file=$BAD/$CASE/$input
elif [ -f "$BAD/$CASE.toml" ]; then
  file=$BAD/$CASE.toml
else
  echo "$EXPECT: no $CASE.toml, and no 'input:' or 'generate:' line" >&2
  exit 2
fi

check_words() {
  local what=$1 err=$2 t
  for t in "${contains[@]}"; do
    grep -qF -- "$t" "$err" || fail "$what: stderr lacks '$t'"
  done
  for t in "${matches[@]}"; do
    grep -qE -- "$t" "$err" || fail "$what: no stderr line matches /$t/"
  done
}

show() {
  sed 's/^/    stdout| /' "$1.out" | head -15
  sed 's/^/    stderr| /' "$1.err" | head -15
}

# check
"$TAMNHIN" check "$file" >"$WORK/check.out" 2>"$WORK/check.err"
status=$?
echo "== tamnhin check $file -> exit $status"
show "$WORK/check"
[ "$status" -eq "$check_exit" ] || fail "check: exit status $status, expected $check_exit"
grep -q "internal error" "$WORK/check.err" && fail "check: reports an internal error"
if [ "$check_exit" -eq 2 ]; then
  check_words check "$WORK/check.err"
fi

# run
out=$WORK/out
"$TAMNHIN" run "$file" --draws 500 --out "$out" >"$WORK/run.out" 2>"$WORK/run.err"
status=$?
echo "== tamnhin run $file --draws 500 --out DIR -> exit $status"
show "$WORK/run"
[ "$status" -eq "$want_exit" ] || fail "run: exit status $status, expected $want_exit"
grep -q "internal error" "$WORK/run.err" && fail "run: reports an internal error"
check_words run "$WORK/run.err"
left=$(dir_listing "$out")
[ -z "$left" ] || fail "run: wrote into the out dir although it failed: $(echo $left)"

e2e_finish
