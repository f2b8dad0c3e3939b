#!/usr/bin/env bash
# `make serve`: the web page against the bundled emulator, with no AWS account. Starts
# bedrock-emulator (streams paced so the answer visibly arrives word by word) and
# bedrock-content-server in front of it, prints the page's address, and stops both on Ctrl-C.
# PORT=8080 picks the server's port (default: a free one); STREAM_TOKEN_MS paces the stream.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BUILD_DIR:-build}/bin"
work="$(mktemp -d)"
source scripts/lib/local-stack.sh
cleanup() {
  trap - EXIT INT TERM
  stop_local_stack
  rm -rf "$work"
  echo "serve: stopped the server and the emulator"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

start_emulator --stream-token-ms "${STREAM_TOKEN_MS:-40}" --latency-ms 100:300
start_server "${PORT:-0}"

echo "bedrock-emulator at $endpoint"
echo
echo "  The page: $server/"
echo
echo "Ctrl-C stops the server and the emulator."
wait "$server_pid"
