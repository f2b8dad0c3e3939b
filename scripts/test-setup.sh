#!/usr/bin/env bash
# Prepares what the test suites need beyond the build: Node packages for the JS SDK
# conformance client and the web page's browser tests, installed from npm into ignored
# folders. Idempotent and quick.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -f tests/conformance/node/package.json ]]; then
  if [[ ! -d tests/conformance/node/node_modules/@aws-sdk/client-bedrock-runtime ]]; then
    echo "test-setup: installing the JS SDK conformance client's packages" >&2
    (cd tests/conformance/node && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
if [[ -f tests/conformance/openai/package.json ]]; then
  if [[ ! -d tests/conformance/openai/node_modules/openai ]]; then
    echo "test-setup: installing the openai npm client for the server's conformance test" >&2
    (cd tests/conformance/openai && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
if [[ -f tests/e2e/browser/package.json ]]; then
  if [[ ! -d tests/e2e/browser/node_modules/playwright-core ]]; then
    echo "test-setup: installing playwright-core for the web page's browser tests" >&2
    (cd tests/e2e/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
