-- wrk script for bench/server/run: sends one request described by the file named in
-- $WRK_REQUEST, written by the run script as HTTP/1.1 does it: "POST /path" on the first line,
-- then "Name: value" header lines, a blank line and the body. The same request goes out every
-- time (wrk prebuilds it once per thread), so Lua costs nothing per request.
local file = assert(io.open(assert(os.getenv("WRK_REQUEST"), "WRK_REQUEST is not set"), "rb"))
local text = file:read("*a")
file:close()

local head_end = assert(text:find("\r\n\r\n", 1, true), "no blank line after the headers")
local head = text:sub(1, head_end - 1)
wrk.body = text:sub(head_end + 4)

local first = true
for line in (head .. "\r\n"):gmatch("(.-)\r\n") do
  if first then
    wrk.method, wrk.path = line:match("^(%u+) (%S+)")
    first = false
  else
    local name, value = line:match("^([^:]+):%s*(.*)$")
    wrk.headers[name] = value
  end
end
