#!/usr/bin/env bash
# Installs the Portkey AI gateway (@portkey-ai/gateway, the version pinned in package.json and
# package-lock.json) into bench/server/node_modules (git-ignored). Idempotent: does nothing when
# that version is already there. Needs node >= 18 and npm; reaches the npm registry only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
want="$(node -p 'require(process.argv[1]).dependencies["@portkey-ai/gateway"]' "$here/package.json")"
have="$(node -p 'require(process.argv[1]).version' "$here/node_modules/@portkey-ai/gateway/package.json" 2>/dev/null || true)"
if [[ "$have" == "$want" ]]; then
  exit 0
fi
cd "$here"
timeout 300 npm ci --no-audit --no-fund --loglevel=error >/dev/null
echo "installed @portkey-ai/gateway $want into $here/node_modules" >&2
