// Small HTTP helpers shared by the network credential sources (STS, container, IMDS).
// Private to bedrock_credentials.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "bedrock/http/transport.h"

namespace bedrock::credentials::cred_detail {

// Limits for one metadata-style request: connect and read each bounded by `timeout`, and the
// whole exchange by the same amount of real time (the transport measures real time, so the
// deadline comes from the steady clock, not from an injected test clock).
http::CallOptions bounded_call(std::chrono::milliseconds timeout);

// The body cut to a length that fits in an error message.
std::string snippet(std::string_view body, size_t max = 200);

// "1 s", "250 ms".
std::string describe_duration(std::chrono::milliseconds d);

}  // namespace bedrock::credentials::cred_detail
