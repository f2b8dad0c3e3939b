-- wrk script: like invoke.lua, but every request carries a different prompt, so the
-- emulator's per-thread answer cache (256 entries, cleared when full) never hits and each
-- request is parsed, validated and answered from scratch.
--
-- The requests are built once per wrk thread, before the run: building one in request()
-- costs wrk about as much CPU as the emulator spends answering it, and on a 2-core machine
-- the load generator's CPU is taken from the server under test. POOL distinct requests per
-- thread (tagged with the thread's number) are sent in turn; POOL is far above the cache's
-- 256 entries, so a body comes back only after tens of thousands of others.
wrk.method = "POST"
wrk.path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local POOL = tonumber(os.getenv("POOL") or "50000")
local thread_counter = 0
local requests = {}
local next_index = 1

setup = function(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_tag", thread_counter)
end

init = function(args)
  local tag = thread_tag or 0
  for i = 1, POOL do
    local body = '{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,' ..
                 '"messages":[{"role":"user","content":"Request ' .. tag .. '-' .. i ..
                 '. The sky is blue. Grass is green."}]}'
    requests[i] = wrk.format(nil, nil, nil, body)
  end
end

request = function()
  local r = requests[next_index]
  next_index = next_index + 1
  if next_index > POOL then next_index = 1 end
  return r
end
