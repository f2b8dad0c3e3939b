#!/usr/bin/env bash
# Fault soak: the CLI's map-reduce and many concurrent client calls through one emulator that
# throttles 20% of requests, answers 2% with a 5xx, drops 1% of connections, truncates 1% of
# bodies and stalls 1%. Passes when nothing crashes, every call ends in a success or a typed
# error, no call outlives its deadline, and what the emulator's admin counters saw for the
# driver's model lies between the driver's attempts and its attempts plus its transport's
# resends (a kept-alive connection that answers nothing is re-sent once and is not an attempt;
# the server saw the first copy only if it had read it before closing). Memory at start and
# end is printed.
#   bench/soak/run.sh [BUILD_BIN_DIR]     SOAK_SECONDS (default 540), SOAK_THREADS (default 32)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-build/bin}"
seconds="${SOAK_SECONDS:-540}"
threads="${SOAK_THREADS:-32}"
work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  if [[ -n "$emulator_pid" ]]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export AWS_BEARER_TOKEN_BEDROCK=soak-key AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true HOME="$work"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_BEDROCK_RUNTIME

"$bin/bedrock-emulator" --port 0 --admin-port 0 --api-key soak-key --latency-ms 10:60 --seed 7 \
  --stall-timeout 3 \
  --fault ThrottlingException=0.20 --fault InternalServerException=0.01 \
  --fault ServiceUnavailableException=0.01 --fault drop=0.01 --fault truncate=0.01 \
  --fault stall=0.01 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/emulator.out" 2>/dev/null && break; sleep 0.1; done
endpoint="$(head -1 "$work/emulator.out" | grep -oE 'http://[^ ]+' | head -1)"
admin="$(head -1 "$work/emulator.out" | grep -oE 'admin http://[^ )]+' | cut -d' ' -f2)"
[[ -n "$endpoint" && -n "$admin" ]] || { echo "soak: the emulator did not start" >&2; cat "$work/emulator.err" >&2; exit 1; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

echo "soak: ${seconds}s, ${threads} client threads + CLI map-reduce loop, emulator $endpoint"
"$bin/bedrock_soak_driver" --endpoint "$endpoint" --bearer-token soak-key --threads "$threads" \
  --seconds "$seconds" --model anthropic.claude-3-haiku-20240307-v1:0 >"$work/driver.json" &
driver_pid=$!

# The CLI summarizes a ~200 KB document with map-reduce on another model, over and over.
for i in $(seq 1 40); do echo "## Part $i"; echo; cat examples/sample-article.md; echo; done >"$work/long.md"
cli_runs=0; cli_crashes=0; cli_attempts=0; cli_unaccounted=0
declare -A cli_exits=()
sleep 5
emulator_rss_start="$(rss_kib "$emulator_pid")"
while kill -0 "$driver_pid" 2>/dev/null; do
  rc=0
  "$bin/bedrock-content" --endpoint-url "$endpoint" --json --quiet --timeout 60 \
    summarize -m amazon.nova-lite-v1:0 --chunking always --concurrency 4 --paragraphs 2 \
    "$work/long.md" >"$work/cli.json" 2>"$work/cli.err" || rc=$?
  cli_runs=$((cli_runs + 1))
  cli_exits[$rc]=$(( ${cli_exits[$rc]:-0} + 1 ))
  if ((rc >= 128)); then cli_crashes=$((cli_crashes + 1)); cat "$work/cli.err" >&2; fi
  if ((rc == 0)); then
    cli_attempts=$((cli_attempts + $(python3 -c 'import json,sys; print(sum(r["attempts"] for r in json.load(open(sys.argv[1]))["records"]))' "$work/cli.json")))
  else
    cli_unaccounted=$((cli_unaccounted + 1))
  fi
done
driver_rc=0; wait "$driver_pid" || driver_rc=$?
emulator_rss_end="$(rss_kib "$emulator_pid")"
sleep 4  # stalled connections end after --stall-timeout; their requests are already counted
curl -sf "$admin/admin/counters" >"$work/counters.json"

reconciled=0
python3 - "$work/driver.json" "$work/counters.json" "$cli_attempts" "$cli_unaccounted" <<'PY' || reconciled=$?
import json, sys
driver = json.load(open(sys.argv[1]))
counters = json.load(open(sys.argv[2]))["models"]
cli_attempts, cli_unaccounted = int(sys.argv[3]), int(sys.argv[4])
emu_driver = counters.get("anthropic.claude-3-haiku-20240307-v1:0", {}).get("requests", 0)
emu_cli = counters.get("amazon.nova-lite-v1:0", {}).get("requests", 0)
print(f"driver: {driver['calls']} calls, outcomes {driver['outcomes']}, exceptions {driver['exceptions']}, "
      f"over deadline {driver['overran_deadline']}, slowest {driver['slowest_ms']} ms")
print(f"driver RSS: {driver['rss_start_kib']} KiB at start, {driver['rss_end_kib']} KiB at end")
sent = driver["attempts"] + driver["resends"]
print(f"driver: {driver['attempts']} attempts + {driver['resends']} transport resends = {sent}; "
      f"emulator counted {emu_driver} (must lie in [{driver['attempts']}, {sent}])")
print(f"CLI: {cli_attempts} attempts in its records; emulator counted {emu_cli} (the difference is "
      f"the CLI's transport resends and the attempts of {cli_unaccounted} failed runs, which it "
      f"does not itemise)")
# Every attempt reached the emulator once; a resend reached it only when the dropped copy had
# been read (a drop fault) and not when the kept-alive connection was already closed.
ok = driver["attempts"] <= emu_driver <= sent and emu_cli >= cli_attempts
sys.exit(0 if ok else 3)
PY
echo "CLI: $cli_runs map-reduce runs, exit codes: $(for k in "${!cli_exits[@]}"; do printf '%s=%s ' "$k" "${cli_exits[$k]}"; done), crashes $cli_crashes"
echo "emulator RSS: ${emulator_rss_start} KiB at start, ${emulator_rss_end} KiB at end"
if ((driver_rc != 0 || cli_crashes != 0 || reconciled != 0)); then echo "soak: FAILED"; exit 1; fi
echo "soak: PASSED"
