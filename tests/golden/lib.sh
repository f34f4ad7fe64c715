# Shared by check.sh and update.sh: the case table and how a case is run.
# GOLDEN_FILES are the inputs of every case, relative to the source tree.
GOLDEN_FILES=(scenarios/examples/baseline.toml scenarios/examples/health_first.toml)
GOLDEN_OUTPUTS=(forecast.csv targets.csv)

# golden_args NAME: prints the extra arguments of case NAME (from cases.txt); fails if unknown.
golden_args() {
  local name=$1 dir
  dir=$(dirname "${BASH_SOURCE[0]}")
  awk -v n="$name" '!/^[[:space:]]*(#|$)/ && $1 == n { $1 = ""; print; found = 1 }
                    END { exit !found }' "$dir/cases.txt"
}

# golden_cases: prints every case name.
golden_cases() {
  awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$(dirname "${BASH_SOURCE[0]}")/cases.txt"
}

# golden_run TAMNHIN SRC NAME OUTDIR: runs case NAME from the source tree into OUTDIR.
# A case whose arguments name scenario files (*.toml) runs those instead of GOLDEN_FILES
# (the provincial cases); its other arguments are options.
golden_run() {
  local tamnhin=$1 src=$2 name=$3 out=$4 args word
  args=$(golden_args "$name") || { echo "unknown golden case '$name'" >&2; return 2; }
  local files=() options=()
  # shellcheck disable=SC2086  # the case's arguments are words
  for word in $args; do
    case $word in
      *.toml) files+=("$word") ;;
      *) options+=("$word") ;;
    esac
  done
  [ "${#files[@]}" -gt 0 ] || files=("${GOLDEN_FILES[@]}")
  (cd "$src" && "$tamnhin" run "${files[@]}" "${options[@]}" --quiet --out "$out")
}

# golden_inputs_digest SRC: sha256 of every input file, to tell "the engine changed" from
# "a model changed" when a comparison fails: the examples and the provincial models.
golden_inputs_digest() {
  (cd "$1" && sha256sum scenarios/examples/*.toml scenarios/shared/*.toml scenarios/long_an/*.toml \
     scenarios/bac_giang/*.toml scenarios/tay_ninh/*.toml scenarios/bac_ninh/*.toml)
}
