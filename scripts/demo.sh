#!/usr/bin/env bash
# Runs the main job end to end. Replaced as the product grows; today: the core test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
ctest --test-dir build --output-on-failure -L unit
