#!/usr/bin/env bash
# `make serve`: the web page against the bundled emulator, with no AWS account. Starts
# bedrock-emulator (streams paced so the answer visibly arrives word by word) and
# bedrock-content-server in front of it, prints the page's address, and stops both on Ctrl-C.
# PORT=8080 picks the server's port (default: a free one); STREAM_TOKEN_MS paces the stream.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
work="$(mktemp -d)"
emulator_pid=""
server_pid=""
cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$emulator_pid" ]]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  echo "serve: stopped the server and the emulator"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# Demo credentials shared by the emulator and the server; nothing leaves this machine.
export AWS_ACCESS_KEY_ID=AKIDDEMO AWS_SECRET_ACCESS_KEY=demo/secret/key/not/for/real/use
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_BEARER_TOKEN_BEDROCK AWS_ENDPOINT_URL
export HOME="$work"  # no real ~/.aws or ~/.config is read

wait_for_address() {  # file, what
  for _ in $(seq 1 100); do
    grep -q "listening on" "$1" 2>/dev/null && break
    sleep 0.1
  done
  head -1 "$1" | grep -oE 'http://[0-9.]+:[0-9]+' | head -1 || true
}

"$bin/bedrock-emulator" --port 0 --credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
  --stream-token-ms "${STREAM_TOKEN_MS:-40}" --latency-ms 100:300 --seed 1 \
  >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
endpoint="$(wait_for_address "$work/emulator.out")"
[[ -n "$endpoint" ]] || { echo "serve: the emulator did not start" >&2; cat "$work/emulator.err" >&2; exit 1; }

AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$endpoint" "$bin/bedrock-content-server" --port "${PORT:-0}" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
server="$(wait_for_address "$work/server.out")"
[[ -n "$server" ]] || { echo "serve: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }

echo "bedrock-emulator at $endpoint"
echo
echo "  The page: $server/"
echo
echo "Ctrl-C stops the server and the emulator."
wait "$server_pid"
