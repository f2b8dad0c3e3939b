#!/usr/bin/env bash
# The main job end to end with no AWS account: starts the bundled bedrock-emulator (with a
# little latency so progress is visible), then runs bedrock-content's generators on a sample
# article through the real wire protocol (SigV4-signed requests, native model bodies), and
# stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
work="$(mktemp -d)"
emulator_pid=""
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$emulator_pid" ]]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Demo credentials shared by the emulator and the client; nothing leaves this machine.
export AWS_ACCESS_KEY_ID=AKIDDEMO AWS_SECRET_ACCESS_KEY=demo/secret/key/not/for/real/use
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_BEARER_TOKEN_BEDROCK AWS_ENDPOINT_URL AWS_ENDPOINT_URL_BEDROCK_RUNTIME
export HOME="$work"  # no real ~/.aws or ~/.config is read

"$bin/bedrock-emulator" --port 0 --credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
  --latency-ms 150:400 --seed 1 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 50); do
  grep -q "listening on" "$work/emulator.out" 2>/dev/null && break
  sleep 0.1
done
endpoint="$(head -1 "$work/emulator.out" | grep -oE 'http://[0-9.]+:[0-9]+' | head -1)"
[[ -n "$endpoint" ]] || { echo "demo: the emulator did not start" >&2; cat "$work/emulator.err" >&2; exit 1; }

cli() { "$bin/bedrock-content" --endpoint-url "$endpoint" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

echo "bedrock-emulator at $endpoint (latency: log-normal, median 150 ms, p99 400 ms)"

# A long document: the sample article repeated into ~200 KB, summarized with map-reduce.
for i in $(seq 1 60); do echo "## Part $i"; echo; cat examples/sample-article.md; echo; done >"$work/long.md"
step "summarize a $(($(wc -c <"$work/long.md") / 1024)) KB document (map-reduce, 4 calls in flight)"
cli summarize --chunking always --concurrency 4 --paragraphs 2 "$work/long.md"

step "summarize the sample article"
cli summarize --paragraphs 1 examples/sample-article.md

step "rephrase, casual"
echo "Our quarterly results exceeded expectations; revenue increased by 12 percent year over year." |
  cli rephrase --style casual

step "expand bullet points"
printf -- '- retries with a budget\n- one deadline per call\n- fallbacks to another model\n' | cli expand

step "blog post (short)"
cli blog --topic "Why every AI call needs a deadline" --length short

step "social posts"
echo "We shipped bedrock-content: retries, deadlines and fallbacks for Amazon Bedrock, in C++." |
  cli social --platforms twitter,linkedin,mastodon

step "invocation record of one call (--json)"
cli --json --quiet invoke -m anthropic.claude-3-haiku-20240307-v1:0 -p "Deadlines protect users." |
  python3 -c 'import json,sys; r=json.load(sys.stdin)["record"]; print(json.dumps({k: r[k] for k in ("request_id","model_used","attempts","input_tokens","output_tokens","latency_ms","cost_usd","outcome")}, indent=2))'

# The HTTP service in front of the same emulator: the content API and the OpenAI-compatible API.
step "bedrock-content-server: start it on a free loopback port"
AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$endpoint" "$bin/bedrock-content-server" --port 0 \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 50); do
  grep -q "listening on" "$work/server.out" 2>/dev/null && break
  sleep 0.1
done
server="$(head -1 "$work/server.out" | grep -oE 'http://[0-9.]+:[0-9]+' | head -1)"
[[ -n "$server" ]] || { echo "demo: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
echo "bedrock-content-server at $server"
post() { curl -sS --max-time 60 -H 'Content-Type: application/json' "$server$1" -d "$2"; echo; }

step "POST /api/rephrase"
post /api/rephrase '{"text": "The meeting moved to Thursday because the room was booked.", "style": "casual"}'

step "POST /api/summarize with \"stream\": true (server-sent events, curl -N)"
curl -sS -N --max-time 60 -H 'Content-Type: application/json' "$server/api/summarize" \
  -d "$(python3 -c 'import json; print(json.dumps({"text": open("examples/sample-article.md").read(), "max_length": 60, "stream": True}))')" |
  head -c 1200 || true
echo

step "POST /v1/chat/completions (OpenAI-compatible)"
post /v1/chat/completions '{"model": "anthropic.claude-3-haiku-20240307-v1:0", "messages": [{"role": "user", "content": "Why do retries need a budget?"}], "max_tokens": 200}'

step "GET /metrics (excerpt)"
curl -sS --max-time 10 "$server/metrics" | grep -E '^bedrock_server_requests_total|^bedrock_server_upstream' | head -8 || true

kill -TERM "$server_pid"
wait "$server_pid" && echo "server drained and exited 0 on SIGTERM"
server_pid=""

echo
echo "demo finished: every call above went through SigV4 signing, the retry policy and the emulator."
echo "the same generators in a web page: make serve, then open the address it prints."
