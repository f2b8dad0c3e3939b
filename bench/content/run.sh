#!/usr/bin/env bash
# Map-reduce summarization of a 1 MB document against the local emulator with 500 ms latency
# per call: bedrock-content at concurrency 4 and 8 beside the tutorial's sequential approach
# (the same chunks called one after another, i.e. --concurrency 1). Target: >= 3.5x faster at
# concurrency 4. Also runs the chunking + estimation timing (100 MB, target < 1 s) when built.
#
# Usage: bench/content/run.sh [BIN_DIR]   (default: build/bin; needs bedrock-emulator and
#        bedrock-content there; bench_content_chunking is optional)
# Env:   LATENCY_MS (500), DOC_BYTES (1048576), EXTRA_ARGS (extra flags for bedrock-content)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$root/build/bin}"
latency="${LATENCY_MS:-500}"
doc_bytes="${DOC_BYTES:-1048576}"

for tool in bedrock-emulator bedrock-content; do
  if [[ ! -x "$bin/$tool" ]]; then
    echo "missing $bin/$tool: build it first (cmake --build build --target $tool)" >&2
    exit 2
  fi
done

work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  if [[ -n "$emulator_pid" ]]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A deterministic 1 MB document: numbered paragraphs of mixed prose.
python3 - "$work/doc.txt" "$doc_bytes" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
sentences = [
    "The committee met on Tuesday and approved a budget of 4.2 million dollars.",
    "Each department presented its plan for the coming year, with milestones and risks.",
    "Engineering asked for two more people to reduce the backlog of customer requests.",
    "Sales reported that revenue grew by 12 percent, mostly from new customers in Europe.",
    "The board asked for a review of travel costs, which rose faster than planned.",
    "Support described a new process that answers most tickets within four hours.",
]
out, n = [], 0
while sum(len(p) for p in out) < size:
    para = " ".join(sentences[(n + k) % len(sentences)] for k in range(6))
    out.append(f"Section {n + 1}. {para}\n\n")
    n += 1
open(path, "w").write("".join(out)[:size])
PY

# Private HOME and AWS settings so nothing from the real machine is read.
export HOME="$work/home"
mkdir -p "$HOME"
export AWS_ACCESS_KEY_ID=AKIDBENCHCONTENT
export AWS_SECRET_ACCESS_KEY=benchsecretbenchsecretbenchsecret
export AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_BEARER_TOKEN_BEDROCK BEDROCK_CONTENT_CONFIG || true

"$bin/bedrock-emulator" --port 0 --host 127.0.0.1 --latency-ms "$latency" --threads 4 \
  --credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/emulator.log" | head -1)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "emulator did not start:" >&2
  cat "$work/emulator.log" >&2
  exit 1
fi
endpoint="http://127.0.0.1:$port"

run() {
  local concurrency="$1"
  local t0 t1
  t0="$(date +%s.%N)"
  "$bin/bedrock-content" summarize --endpoint-url "$endpoint" --region us-east-1 \
    --concurrency "$concurrency" ${EXTRA_ARGS:-} "$work/doc.txt" >"$work/out-$concurrency.txt" \
    2>"$work/err-$concurrency.txt" || {
    echo "bedrock-content failed at concurrency $concurrency:" >&2
    cat "$work/err-$concurrency.txt" >&2
    exit 1
  }
  t1="$(date +%s.%N)"
  python3 -c "print(f'{$t1 - $t0:.2f}')"
}

echo "summarize $(($(wc -c <"$work/doc.txt") / 1024)) KiB, emulator latency ${latency} ms per call"
seq_s="$(run 1)"
c4_s="$(run 4)"
c8_s="$(run 8)"
python3 - "$seq_s" "$c4_s" "$c8_s" <<'PY'
import sys
seq, c4, c8 = map(float, sys.argv[1:])
print(f"{'approach':<34}{'seconds':>9}{'speed-up':>10}")
print(f"{'sequential (tutorial, 1 at a time)':<34}{seq:>9.2f}{1.0:>9.2f}x")
print(f"{'bedrock-content --concurrency 4':<34}{c4:>9.2f}{seq / c4:>9.2f}x")
print(f"{'bedrock-content --concurrency 8':<34}{c8:>9.2f}{seq / c8:>9.2f}x")
print("target: >= 3.5x at concurrency 4:", "MET" if seq / c4 >= 3.5 else "NOT MET")
PY

if [[ -x "$bin/bench_content_chunking" ]]; then
  echo
  "$bin/bench_content_chunking"
fi
