# Sourced by scripts/demo.sh and scripts/serve.sh: demo credentials, a throwaway HOME, and the
# start of the bundled emulator and server on free loopback ports, stopped by stop_local_stack.
# The caller sets `work` (a temporary directory) and `bin` (the build's bin/ folder).

# Demo credentials shared by the emulator and its callers; nothing leaves this machine.
export AWS_ACCESS_KEY_ID=AKIDDEMO AWS_SECRET_ACCESS_KEY=demo/secret/key/not/for/real/use
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_BEARER_TOKEN_BEDROCK AWS_ENDPOINT_URL \
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME
export HOME="$work"  # no real ~/.aws or ~/.config is read

emulator_pid=""
server_pid=""

# The address a binary prints on its first line ("listening on http://..."), within 10 s.
wait_for_address() {  # <stdout file>
  for _ in $(seq 1 100); do
    grep -q "listening on" "$1" 2>/dev/null && break
    sleep 0.1
  done
  head -1 "$1" | grep -oE 'http://[0-9.]+:[0-9]+' | head -1 || true
}

# Sets `endpoint`; extra arguments go to bedrock-emulator (latency, stream pacing).
start_emulator() {
  "$bin/bedrock-emulator" --port 0 --credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    --seed 1 "$@" >"$work/emulator.out" 2>"$work/emulator.err" &
  emulator_pid=$!
  endpoint="$(wait_for_address "$work/emulator.out")"
  if [[ -z "$endpoint" ]]; then
    echo "the emulator did not start:" >&2
    cat "$work/emulator.err" >&2
    return 1
  fi
}

# Sets `server`; the server reaches Bedrock through the emulator started above.
start_server() {  # [port, default a free one]
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$endpoint" "$bin/bedrock-content-server" --port "${1:-0}" \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  server="$(wait_for_address "$work/server.out")"
  if [[ -z "$server" ]]; then
    echo "the server did not start:" >&2
    cat "$work/server.err" >&2
    return 1
  fi
}

stop_local_stack() {
  local pid
  for pid in "$server_pid" "$emulator_pid"; do
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  server_pid=""
  emulator_pid=""
}
