#!/usr/bin/env bash
# Emulator throughput, side by side with nginx serving a static response (the ceiling for a
# loopback HTTP/1.1 server on this machine), then 10,000 requests held open at 1 s latency.
# Loopback only; bounded durations. Usage: bench/emulator/run.sh [path/to/bedrock-emulator]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
emulator="${1:-$root/build/bin/bedrock-emulator}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
concurrent="${CONCURRENT:-10000}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

rps() { awk '/Requests\/sec/ {print $2}'; }

# --- nginx: the same response body, static, keep-alive ------------------------------------
nginx_port="$(free_port)"
body='{"id":"msg_bdrk_01","type":"message","role":"assistant","model":"claude-3-haiku-20240307","content":[{"type":"text","text":"The sky is blue. Grass is green."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":9}}'
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type application/json; return 200 '$body'; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)

# --- emulator, no latency, no auth (the throughput path) ----------------------------------
"$emulator" --port 0 --no-auth > "$work/emu.out" &
emu_pid=$!
pids+=($emu_pid)
for _ in $(seq 50); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
emu_port="$(grep -o '127.0.0.1:[0-9]*' "$work/emu.out" | head -1 | cut -d: -f2)"
sleep 0.3

echo "wrk -t$wrk_threads -c$connections -d$duration (POST InvokeModel, keep-alive, loopback)"
nginx_rps="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" -s "$here/invoke.lua" "http://127.0.0.1:$nginx_port" | tee "$work/nginx.txt" | rps)"
# The distinct-request script costs wrk a Lua call and a fresh request per send, which lowers
# what any server can be seen to do; nginx under the same script is that ceiling.
nginx_distinct_rps="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" -s "$here/invoke_distinct.lua" "http://127.0.0.1:$nginx_port" | rps)"
emu_rps="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" -s "$here/invoke.lua" "http://127.0.0.1:$emu_port" | tee "$work/emu.txt" | rps)"
# Distinct prompts defeat the answer cache: every request is parsed and answered from scratch.
distinct_rps="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" -s "$here/invoke_distinct.lua" "http://127.0.0.1:$emu_port" | tee "$work/emu_distinct.txt" | rps)"
grep -E 'Latency|Non-2xx|Socket errors' "$work/emu.txt" | sed 's/^/  emulator: /' || true
grep -E 'Latency|Non-2xx|Socket errors' "$work/emu_distinct.txt" | sed 's/^/  emulator (distinct): /' || true
printf 'nginx static                      : %10.0f req/s\n' "$nginx_rps"
printf 'nginx static, distinct-body script: %10.0f req/s\n' "$nginx_distinct_rps"
printf 'bedrock-emulator, identical bodies: %10.0f req/s\n' "$emu_rps"
printf 'bedrock-emulator, distinct bodies : %10.0f req/s\n' "$distinct_rps"
printf 'ratio emulator/nginx under the same script: identical %.2f, distinct %.2f\n' \
  "$(echo "$emu_rps / $nginx_rps" | bc -l)" "$(echo "$distinct_rps / $nginx_distinct_rps" | bc -l)"
kill "$emu_pid"; wait "$emu_pid" 2>/dev/null || true

# --- 10,000 concurrent requests held open by 1 s of latency --------------------------------
"$emulator" --port 0 --no-auth --latency-ms 1000 > "$work/emu2.out" &
emu2_pid=$!
pids+=($emu2_pid)
for _ in $(seq 50); do grep -q listening "$work/emu2.out" 2>/dev/null && break; sleep 0.1; done
emu2_port="$(grep -o '127.0.0.1:[0-9]*' "$work/emu2.out" | head -1 | cut -d: -f2)"
python3 "$here/concurrent_hold.py" 127.0.0.1 "$emu2_port" "$concurrent" 1.0 "$emu2_pid"
