// The status line and header block of a response, as Beast's serializer writes them for a
// body of known length. Beast's generic serializer (a buffer-sequence state machine over the
// fields) cost more instructions per request than answering it; the fields are final by the
// time this runs (prepare_payload set Content-Length, keep_alive() the Connection header), so
// the session writes this head and the body in one gathered write.
#pragma once

#include <string>

#include "bedrock/net/http_types.h"

namespace bedrock::net {

// Replaces `out` (whose capacity is reused) with the head, blank line included.
void serialize_head(const HttpResponse& response, std::string& out);

}  // namespace bedrock::net
