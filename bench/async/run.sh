#!/usr/bin/env bash
# Async client benchmark, loopback only, about a minute:
#  1. 10,000 calls started at once from ONE thread (AsyncBedrockClient) against an emulator that
#     answers after 1 s: every call must succeed; prints wall time, peak resident memory and CPU
#     per call (each call opens its own connection).
#  2. CPU per call, async vs the synchronous client, in alternating rounds on the same emulator
#     (no latency): 32 calls in flight on kept-alive connections (async) vs 32 threads sharing a
#     BedrockClient (sync); and the 10,000-call run of step 1 vs the sync client opening a new
#     connection for every call (sync-fresh), so both pay the same connection set-up.
# Ratios are medians over ROUNDS (default 5) of per-round ratios.
#
# Usage: bench/async/run.sh [BUILD_DIR]   (targets bench_async_client, bedrock-emulator)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
rounds="${ROUNDS:-5}"
bin="$build/bin/bench_async_client"
for b in bench_async_client bedrock-emulator; do
  [[ -x "$build/bin/$b" ]] || { echo "missing $build/bin/$b: cmake --build $build --target $b" >&2; exit 1; }
done
# 10,000 connections on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < 12000 )); then
  echo "need at least 12000 open files (ulimit -n is $(ulimit -n))" >&2
  exit 1
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_emulator() {  # PORT LATENCY_MS
  "$build/bin/bedrock-emulator" --port "$1" --no-auth --latency-ms "$2" >"$work/emulator-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null && return
    sleep 0.1
  done
}
slow=$(free_port); start_emulator "$slow" 1000
fast=$(free_port); start_emulator "$fast" 0

for r in $(seq "$rounds"); do
  "$bin" async "$slow" 10000 10000 | sed "s/^/{\"round\":$r,\"run\":\"held\",\"r\":/; s/$/}/" >>"$work/runs.jsonl"
  "$bin" sync-fresh "$fast" 10000 32 | sed "s/^/{\"round\":$r,\"run\":\"fresh\",\"r\":/; s/$/}/" >>"$work/runs.jsonl"
  "$bin" async "$fast" 20000 32 | sed "s/^/{\"round\":$r,\"run\":\"async32\",\"r\":/; s/$/}/" >>"$work/runs.jsonl"
  "$bin" sync "$fast" 20000 32 | sed "s/^/{\"round\":$r,\"run\":\"sync32\",\"r\":/; s/$/}/" >>"$work/runs.jsonl"
done

python3 - "$work/runs.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for x in runs:
    by.setdefault(x["run"], {})[x["round"]] = x["r"]
def med(run, key):
    return statistics.median(r[key] for r in by[run].values())
held = by["held"]
print("10,000 calls in flight from one thread, emulator answering after 1 s:")
for rnd, r in sorted(held.items()):
    print(f"  round {rnd}: ok {r['ok']}/{r['calls']} errors {r['errors']} wall {r['wall_s']} s, "
          f"peak RSS {r['peak_rss_mib']} MiB, CPU {r['cpu_us_per_call']} us/call, max in flight {r['max_in_flight']}")
print(f"  median peak RSS {med('held', 'peak_rss_mib'):.1f} MiB, median wall {med('held', 'wall_s'):.2f} s")
def ratio(a, b):
    return statistics.median(by[a][k]["cpu_us_per_call"] / by[b][k]["cpu_us_per_call"] for k in by[a])
print(f"CPU per call, new connection each: async (10,000 in flight) {med('held', 'cpu_us_per_call'):.1f} us, "
      f"sync-fresh (32 threads) {med('fresh', 'cpu_us_per_call'):.1f} us: async/sync {ratio('held', 'fresh'):.2f}")
print(f"CPU per call, kept-alive: async (32 in flight) {med('async32', 'cpu_us_per_call'):.1f} us, "
      f"sync (32 threads) {med('sync32', 'cpu_us_per_call'):.1f} us: async/sync {ratio('async32', 'sync32'):.2f}")
bad = [r for run in by.values() for r in run.values() if r["ok"] != r["calls"]]
sys.exit(1 if bad else 0)
PY
