#!/usr/bin/env bash
# Installs the Debian 12 packages tamnhin needs, if any are missing. Idempotent: when
# everything is present it only asks dpkg, which takes well under a second.
#   tools/setup.sh          what building and running need (tools/run-study.sh)
#   tools/setup.sh --test   also what the tests open the outputs with: headless Chromium
#                           for report.html, openpyxl for tables.xlsx (tools/test.sh)
set -euo pipefail

packages=(
  cmake ninja-build g++ clang libclang-rt-14-dev python3 pkg-config
  python3-numpy  # bench/numpy_baseline.py
  libmpfr-dev    # tests/unit/core/portable_math_test.cpp (accuracy against MPFR)
  libboost1.81-dev libboost-json1.81-dev
  libboost-mpi1.81-dev libopenmpi-dev openmpi-bin  # scale-out over MPI (docs/scale.md)
  libtbb-dev libeigen3-dev libtomlplusplus-dev librandom123-dev libcli11-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev libbenchmark-dev libnlopt-dev libnlopt-cxx-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium python3-websocket python3-openpyxl fonts-dejavu-core)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "tamnhin setup: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "tamnhin setup: need root or sudo to install packages" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
