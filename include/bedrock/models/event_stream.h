// AWS event-stream framing (application/vnd.amazon.eventstream), the binary message format of
// Bedrock's streaming responses (docs/wire-protocol.md §9.1): a 12-byte prelude (total length,
// headers length, CRC-32 of those 8 bytes), string headers, the payload, and a CRC-32 of everything
// before it. Bedrock sends string-valued headers only, so that is all this writes.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace bedrock::models {

using EventStreamHeader = std::pair<std::string_view, std::string_view>;  // name, string value

// Appends one message to `out`. Header names must be under 256 bytes and values under 64 KiB
// (the format's length fields); Bedrock's are a few dozen bytes.
void append_event_stream_message(std::string& out, std::initializer_list<EventStreamHeader> headers,
                                 std::string_view payload);

// An `event` message as Bedrock sends them: `:event-type`, `:content-type: application/json`,
// `:message-type: event`, in that order, and a JSON payload.
void append_event(std::string& out, std::string_view event_type, std::string_view json_payload);

}  // namespace bedrock::models
