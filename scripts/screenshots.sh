#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png (the web page, light and dark, desktop and phone widths, and
# a large document summarized as a job, a summary of an attached PDF and picture)
# with the browser tests' setup: Debian's chromium driven by playwright-core, against the
# emulator. Needs a build (make build) and scripts/test-setup.sh's npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/test-setup.sh
node tests/e2e/browser/screenshots.mjs build/bin/bedrock-content-server build/bin/bedrock-emulator \
  docs/screenshots
