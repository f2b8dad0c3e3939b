#!/usr/bin/env bash
# bench/server/cpu_per_request.sh: CPU time bedrock-content-server spends per request, the
# figure issue 14's latency targets hinge on and the one least disturbed by other work on a
# shared machine (wall-clock latency is not: a busy core queues us; CPU time only grows a little
# with cache misses).
#
# usage: bench/server/cpu_per_request.sh [BUILD_DIR]      (default: build)
# env:   RUNS=3 measured runs (the median is reported); DURATION=3 seconds of wrk per run;
#        ENDPOINT=chat (POST /v1/chat/completions) or api (POST /api/rephrase);
#        PERF=1 also records the server under perf (user time, DWARF call graphs) for one extra
#        run and prints the hottest symbols (perf.data is left in $PERF_DIR, default a temp dir);
#        STRACE=1 counts the server's system calls per request over one extra run (strace -c:
#        slow, so only its counts mean anything).
#
# One emulator (zero latency, SigV4 checked) and one server (--port 0, reaching the emulator
# through AWS_ENDPOINT_URL_BEDROCK_RUNTIME with fake credentials), `wrk -t1 -c1` with
# bench/server/request.lua: one request in flight at a time, so the figure is the cost of a
# request, not of contention. CPU is utime+stime of the whole server process (every thread)
# from /proc/PID/stat before and after each run, over the requests wrk completed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
RUNS=${RUNS:-3}
DURATION=${DURATION:-3}
ENDPOINT=${ENDPOINT:-chat}
PERF=${PERF:-0}
STRACE=${STRACE:-0}
ACCESS_KEY=AKIDBENCHSERVER01
SECRET_KEY=bench-server-secret-key
MODEL=anthropic.claude-3-haiku-20240307-v1:0

for exe in bedrock-emulator bedrock-content-server; do
  [[ -x "$BUILD/bin/$exe" ]] || { echo "missing $BUILD/bin/$exe" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

WORK=$(mktemp -d /tmp/cpu-per-request.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Waits up to 20 s for `pattern` (an ERE with one group: the port) in `file`; prints the port.
port_from() {
  local file=$1 pattern=$2
  for _ in $(seq 200); do
    if [[ -s "$file" ]] && port=$(grep -oE "$pattern" "$file" | head -1 | grep -oE '[0-9]+$'); then
      [[ -n "$port" ]] && { echo "$port"; return 0; }
    fi
    sleep 0.1
  done
  echo "timed out waiting for a port in $file:" >&2
  cat "$file" >&2
  return 1
}

"$BUILD/bin/bedrock-emulator" --host 127.0.0.1 --port 0 \
  --credentials "$ACCESS_KEY:$SECRET_KEY" >"$WORK/emulator.out" 2>&1 &
EMULATOR=$!
PIDS+=("$EMULATOR")
EMU_PORT=$(port_from "$WORK/emulator.out" 'listening on http://127\.0\.0\.1:[0-9]+')

mkdir -p "$WORK/home"
env -i PATH="$PATH" HOME="$WORK/home" \
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME="http://127.0.0.1:$EMU_PORT" \
  AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE="$WORK/home/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/home/credentials" \
  "$BUILD/bin/bedrock-content-server" --port 0 >"$WORK/server.out" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
PORT=$(port_from "$WORK/server.out" '(127\.0\.0\.1|localhost):[0-9]+')

case "$ENDPOINT" in
  chat)
    PATH_=/v1/chat/completions
    # bench/server/run's body (json.dumps spacing).
    BODY="{\"model\": \"$MODEL\", \"max_tokens\": 64, \"messages\": [{\"role\": \"user\", \"content\": \"The sky is blue. Grass is green.\"}]}"
    ;;
  api)
    PATH_=/api/rephrase
    BODY="{\"text\": \"The sky is blue. Grass is green.\", \"style\": \"casual\", \"model\": \"$MODEL\"}"
    ;;
  *) echo "ENDPOINT must be chat or api" >&2; exit 1 ;;
esac
printf 'POST %s\r\nHost: 127.0.0.1:%s\r\nContent-Type: application/json\r\n\r\n%s' \
  "$PATH_" "$PORT" "$BODY" >"$WORK/request"
export WRK_REQUEST="$WORK/request"

# The answer must be a 200 with the emulator's text: a figure for an error path means nothing.
status=$(curl -s -o "$WORK/answer" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "$BODY" "http://127.0.0.1:$PORT$PATH_")
if [[ "$status" != 200 ]]; then
  echo "POST $PATH_ answered $status: $(head -c 300 "$WORK/answer")" >&2
  exit 1
fi

# "utime stime" of the whole process, in clock ticks (fields 14 and 15; the command name in
# field 2 may hold spaces, so count from the closing parenthesis).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12, $13}'; }
HZ=$(getconf CLK_TCK)

run_wrk() {
  wrk -t1 -c1 -d"${1}s" -s "$HERE/request.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk.out" 2>&1
  if grep -q 'Non-2xx' "$WORK/wrk.out"; then
    echo "wrk saw non-2xx answers:" >&2
    cat "$WORK/wrk.out" >&2
    exit 1
  fi
  grep -oE '^ *[0-9]+ requests in' "$WORK/wrk.out" | grep -oE '[0-9]+'
}

run_wrk 1 >/dev/null  # warm-up: connections, caches, the allocator's arenas

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)  ($(nproc) cores)"
# Microseconds per request between two cpu_ticks readings: "total user sys".
per_request() {
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$HZ" 'BEGIN{
    split(a, x, " "); split(b, y, " "); k = 1e6 / hz / n
    printf "%.1f %.1f %.1f", (y[1] - x[1] + y[2] - x[2]) * k, (y[1] - x[1]) * k, (y[2] - x[2]) * k}'
}

results=()
for i in $(seq "$RUNS"); do
  s0=$(cpu_ticks "$SERVER")
  e0=$(cpu_ticks "$EMULATOR")
  n=$(run_wrk "$DURATION")
  s1=$(cpu_ticks "$SERVER")
  e1=$(cpu_ticks "$EMULATOR")
  read -r total user sys <<<"$(per_request "$s0" "$s1" "$n")"
  read -r emu _ <<<"$(per_request "$e0" "$e1" "$n")"
  rps=$(awk -v n="$n" -v d="$DURATION" 'BEGIN{printf "%.0f", n/d}')
  echo "run $i: $n requests ($rps/s at 1 connection); server $total us CPU/request" \
    "($user user + $sys sys); emulator $emu us"
  results+=("$total")
done
sorted=$(printf '%s\n' "${results[@]}" | sort -g)
median=$(awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}' <<<"$sorted")
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "POST $PATH_: server CPU per request, median of $RUNS: $median us (lowest $(head -1 <<<"$sorted") us)"

# The server's own-overhead histogram over everything sent so far (bench/server/run's figure).
curl -s "http://127.0.0.1:$PORT/metrics" | awk '
  /^bedrock_server_overhead_seconds_sum/ {s=$2}
  /^bedrock_server_overhead_seconds_count/ {c=$2}
  END {if (c > 0) printf "/metrics overhead histogram: mean %.1f us over %d requests\n", s*1e6/c, c}'

if [[ "$PERF" == 1 ]]; then
  command -v perf >/dev/null || { echo "perf is not installed: no profile" >&2; exit 0; }
  PERF_DIR=${PERF_DIR:-$WORK}
  perf record -q -e cpu-clock:u --call-graph dwarf,16384 -F 2000 -p "$SERVER" \
    -o "$PERF_DIR/perf.data" -- sleep "$DURATION" 2>/dev/null &
  PERF_PID=$!
  run_wrk "$DURATION" >/dev/null
  wait "$PERF_PID" || true
  echo "perf (user time, self): top symbols"
  perf report -i "$PERF_DIR/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
    grep -E '^ +[0-9]' | head -40
  echo "perf (user time, with children): top symbols"
  perf report -i "$PERF_DIR/perf.data" --children --sort symbol --stdio 2>/dev/null |
    grep -E '^ +[0-9]' | head -60
  [[ "$PERF_DIR" != "$WORK" ]] && echo "perf data: $PERF_DIR/perf.data"
fi

if [[ "$STRACE" == 1 ]]; then
  command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 0; }
  strace -c -f -q -o "$WORK/strace.out" -p "$SERVER" &
  STRACE_PID=$!
  sleep 0.5
  n=$(run_wrk "$DURATION")
  kill -INT "$STRACE_PID"
  wait "$STRACE_PID" || true
  echo "system calls per request over $n requests (strace -c):"
  awk -v n="$n" '$1 ~ /^[0-9.]+$/ && NF >= 5 {
      calls = $4; name = $NF; if (calls ~ /^[0-9]+$/) printf "  %-20s %6.2f\n", name, calls / n }' \
    "$WORK/strace.out" | sort -k2 -gr | head -20
fi
