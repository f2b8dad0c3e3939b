#!/usr/bin/env bash
# The main job end to end with no AWS account: starts the bundled bedrock-emulator (with a
# little latency so progress is visible), then runs bedrock-content's generators on a sample
# article through the real wire protocol (SigV4-signed requests, native model bodies), and
# stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BUILD_DIR:-build}/bin"
work="$(mktemp -d)"
source scripts/lib/local-stack.sh
cleanup() {
  stop_local_stack
  rm -rf "$work"
}
trap cleanup EXIT

start_emulator --latency-ms 150:400

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
start_server
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
