#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test and benchmark.
# Idempotent and quick when everything is present: apt is only touched for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev libssl-dev zlib1g-dev
  libboost-dev libboost-system-dev
  nlohmann-json3-dev libsimdjson-dev libspdlog-dev libfmt-dev libcli11-dev libexpected-dev libtoml11-dev
  libsqlite3-dev libpq-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format
  nginx-light wrk curl
  nodejs npm python3
  chromium fonts-dejavu-core  # the web page's browser tests and screenshots (tests/e2e/browser)
)

# boto3 for the SDK conformance test (tests/conformance): the machine image's python3 may bring
# its own; otherwise Debian's, which installs for /usr/bin/python3 (the test's CMake looks there
# too). Debian 12's is old: the test reports what it cannot express as skipped.
has_boto3() { [[ -x "$1" ]] && "$1" -c 'import boto3' 2>/dev/null; }
if ! has_boto3 "$(command -v python3 || true)" && ! has_boto3 /usr/bin/python3; then
  packages+=(python3-boto3)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# node/npm/python3 may come from outside Debian on the machine image; accept any on PATH.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    nodejs) command -v node >/dev/null || filtered+=("$p") ;;
    npm) command -v npm >/dev/null || filtered+=("$p") ;;
    python3) command -v python3 >/dev/null || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done

if ((${#filtered[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${filtered[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
