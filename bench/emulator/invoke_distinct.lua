-- wrk script: like invoke.lua, but every request carries a different prompt, so the
-- emulator's per-thread answer cache never hits and each request is parsed, validated and
-- answered from scratch.
wrk.method = "POST"
wrk.path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local counter = 0

request = function()
  counter = counter + 1
  local body = '{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,' ..
               '"messages":[{"role":"user","content":"Request ' .. counter ..
               '. The sky is blue. Grass is green."}]}'
  return wrk.format(nil, nil, nil, body)
end
