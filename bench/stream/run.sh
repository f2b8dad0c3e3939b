#!/usr/bin/env bash
# Streaming benchmark, loopback only, a few minutes: in ONE run against the same paced emulator
# stream (InvokeModelWithResponseStream, Claude messages shape), the time to first token of
#   bare   - a socket writing a prebuilt request and reading the stream (the floor)
#   ours   - BedrockClient::invoke_stream
#   boto3  - invoke_model_with_response_stream (python3)
#   js     - InvokeModelWithResponseStreamCommand (@aws-sdk/client-bedrock-runtime, node)
# then the time each client adds over the floor (its median minus bare's median), ours as a
# fraction of boto3's and the JS SDK's, and the event-stream decoder's throughput.
#
# Usage: bench/stream/run.sh [BUILD_DIR]   (default: build; targets bench_stream_ttft,
#   bench_stream_decoder, bedrock-emulator)
#   CALLS=N (default 300 for bare/ours, CALLS/3 for boto3 and js)
#   LATENCY_MS=N (default 50): the emulator's time to first byte; later events follow 2 ms apart
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
calls="${CALLS:-300}"
slow_calls=$((calls / 3))
latency="${LATENCY_MS:-50}"

for bin in bench_stream_ttft bench_stream_decoder bedrock-emulator; do
  [[ -x "$build/bin/$bin" ]] || { echo "missing $build/bin/$bin: cmake --build $build --target $bin" >&2; exit 1; }
done
if [[ ! -d "$here/node_modules/@aws-sdk/client-bedrock-runtime" ]]; then
  (cd "$here" && timeout 300 npm install --no-audit --no-fund --loglevel=error >/dev/null) ||
    echo "warning: npm install failed; the JS SDK column will be skipped" >&2
fi

work="$(mktemp -d)"
emu_pid=""
cleanup() {
  [[ -n "$emu_pid" ]] && kill "$emu_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$build/bin/bedrock-emulator" --port "$port" --no-auth --latency-ms "$latency" --stream-token-ms 2 --threads 1 \
  >"$work/emulator.log" 2>&1 &
emu_pid=$!
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  sleep 0.1
done
url="http://127.0.0.1:$port"
echo "emulator on $url, first byte after ${latency} ms; $calls calls bare/ours, $slow_calls boto3/js" >&2

"$build/bin/bench_stream_ttft" "$port" "$calls" >"$work/results.jsonl"
python3 "$here/boto3_ttft.py" --url "$url" --calls "$slow_calls" >>"$work/results.jsonl"
if [[ -d "$here/node_modules/@aws-sdk/client-bedrock-runtime" ]]; then
  node --no-warnings "$here/js_ttft.mjs" --url "$url" --calls "$slow_calls" >>"$work/results.jsonl"
fi
decoder="$("$build/bin/bench_stream_decoder" 16384 9)"

python3 - "$work/results.jsonl" "$decoder" <<'PY'
import json, sys
rows = {r["impl"]: r for r in map(json.loads, open(sys.argv[1]))}
decoder = json.loads(sys.argv[2])
bare = rows["bare"]["median_us"]
print(f"{'impl':6} {'calls':>6} {'median TTFT us':>15} {'p90 us':>10} {'added us':>10}")
for name in ("bare", "ours", "boto3", "js"):
    if name in rows:
        r = rows[name]
        print(f"{name:6} {r['calls']:>6} {r['median_us']:>15.1f} {r['p90_us']:>10.1f} {r['median_us'] - bare:>10.1f}")
ours_added = rows["ours-minus-bare"]["median_us"]
print(f"ours adds {ours_added:.0f} us (median of per-call differences from the bare socket, calls alternating)")
for name in ("boto3", "js"):
    if name in rows:
        added = rows[name]["median_us"] - bare
        if ours_added > 0:
            print(f"{name} adds {added:.0f} us: ours adds 1/{added / ours_added:.0f} of {name}'s")
        else:
            print(f"{name} adds {added:.0f} us; ours' addition is below this run's noise")
print(f"decoder: {decoder['median_mb_per_cpu_s']:.0f} MB per CPU-second (median of 9 runs, 16 KiB reads)")
PY
