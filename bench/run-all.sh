#!/usr/bin/env bash
# Runs every benchmark under bench/ one after another, each with a bounded run time, and prints
# each one's figures (`make bench`). Loopback only; nothing leaves the machine except the npm
# install of the JS SDK that bench/client/run.sh does on first use.
#
#   client    bench/client/run.sh: BedrockClient::invoke vs bare libcurl, boto3, JS SDK v3
#   http      bedrock_http_transport_bench: CurlTransport vs a bare libcurl loop
#   content   bench/content/run.sh: map-reduce summary vs sequential, then
#             bench_content_chunking (token estimation + chunk planning of 100 MB)
#   emulator  bench/emulator/run.sh: wrk against the emulator and nginx, then requests held
#             open at 1 s latency
#   async     bench/async/run.sh: 10,000 calls in flight from one thread; CPU per call async
#             vs sync
#   stream    bench/stream/run.sh: time to first token, ours vs a bare socket, boto3, JS SDK;
#             event-stream decoder throughput
#
# Usage: bench/run-all.sh [BUILD_DIR]   (default: build; `make bench` builds it first)
# Env:
#   BENCH_DURATION=S  seconds per measured phase (default 5: the whole run takes about 3-5
#                     minutes on 2 cores). Scales wrk's -d, the client and transport call
#                     counts and rounds, the emulator latency of the content benchmark and the
#                     held requests; BENCH_DURATION=1 is a smoke run of about a minute.
#   BENCH_ONLY=a,b    run only these of client,http,content,emulator,async,stream
#   BENCH_TIMEOUT=S   hard cap per benchmark (default 60 + 40 x BENCH_DURATION seconds)
# Exit status: 0 if every selected benchmark ran to the end, 1 otherwise (the others still run).
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)" || { echo "run-all: no build dir ${1:-$root/build}" >&2; exit 2; }
bin="$build/bin"
duration="${BENCH_DURATION:-5}"
only="${BENCH_ONLY:-client,http,content,emulator,async,stream}"
if ! [[ "$duration" =~ ^[1-9][0-9]*$ ]]; then
  echo "run-all: BENCH_DURATION must be a whole number of seconds >= 1" >&2
  exit 2
fi
cap="${BENCH_TIMEOUT:-$((60 + 40 * duration))}"

min() { if (($1 < $2)); then echo "$1"; else echo "$2"; fi; }

# The full-size figures in the README come from BENCH_DURATION >= 5; below that every size
# shrinks in proportion, so a smoke run exercises every path in a fraction of the time.
client_rounds="$(min $(((duration * 7 + 4) / 5)) 7)"
client_calls="$(min $((600 * duration)) 3000)"
transport_calls="$(min $((2000 * duration)) 10000)"
# The document keeps its size: a smaller one fits in a single call and shows no map-reduce.
content_bytes="${DOC_BYTES:-1048576}"
content_latency_ms="$(min $((100 * duration)) 500)"
held_requests="$(min $((2000 * duration)) 10000)"
async_rounds="$(min "$duration" 5)"
stream_calls="$(min $((60 * duration)) 300)"

selected() { [[ ",$only," == *",$1,"* ]]; }

failed=()
ran=0
section() {
  local name="$1"
  shift
  selected "$name" || return 0
  ran=$((ran + 1))
  echo
  echo "=== $name: $* (cap ${cap}s)"
  local t0=$SECONDS
  # Each benchmark gets its own process group so the cap also stops its servers.
  if timeout --kill-after=10 "$cap" "$@"; then
    echo "--- $name done in $((SECONDS - t0)) s"
  else
    local rc=$?
    ((rc == 124)) && echo "--- $name stopped at the ${cap}s cap" >&2 ||
      echo "--- $name failed (exit $rc) after $((SECONDS - t0)) s" >&2
    failed+=("$name")
  fi
}

echo "bench/run-all.sh: BENCH_DURATION=${duration}s, build $build"

section client env CALLS="$client_calls" ROUNDS="$client_rounds" "$here/client/run.sh" "$build"

if [[ -x "$bin/bedrock_http_transport_bench" ]]; then
  section http "$bin/bedrock_http_transport_bench" --calls "$transport_calls"
elif selected http; then
  echo "=== http: missing $bin/bedrock_http_transport_bench (built with the test fakes)" >&2
  failed+=(http)
fi

section content env DOC_BYTES="$content_bytes" LATENCY_MS="$content_latency_ms" \
  "$here/content/run.sh" "$bin"

section emulator env DURATION="${duration}s" CONCURRENT="$held_requests" \
  "$here/emulator/run.sh" "$bin/bedrock-emulator"

section async env ROUNDS="$async_rounds" "$here/async/run.sh" "$build"

section stream env CALLS="$stream_calls" "$here/stream/run.sh" "$build"

echo
if ((${#failed[@]} > 0)); then
  echo "bench/run-all.sh: ${#failed[@]} of $ran benchmarks did not finish: ${failed[*]}" >&2
  exit 1
fi
echo "bench/run-all.sh: all $ran benchmarks finished"
