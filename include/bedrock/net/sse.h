// Server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html) over a
// ChunkedStream: the response head and the framing of one event.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/net/http_types.h"

namespace bedrock::net {

// 200, Content-Type: text/event-stream, Cache-Control: no-cache; pass to Responder::stream.
HttpResponse sse_head();

// Appends one event to `out`: "event: <event>\n" when `event` is not empty, one "data: " line
// per line of `data` (a CR, LF or CRLF in `data` starts a new line, so a payload cannot end
// the event early or inject fields), then the blank line. A CR or LF in `event` is dropped.
void append_sse_event(std::string& out, std::string_view data, std::string_view event = {});

}  // namespace bedrock::net
