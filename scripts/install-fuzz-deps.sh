#!/usr/bin/env bash
# Installs what `make fuzz` needs on top of install-deps.sh: clang 14 with its compiler-rt
# (libFuzzer, ASan, UBSan runtimes) and llvm-symbolizer for readable crash stacks. Kept apart so
# a plain `make test` (gcc only) does not pull in a second compiler.
set -euo pipefail

packages=(clang-14 libclang-rt-14-dev llvm-14)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-fuzz-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
