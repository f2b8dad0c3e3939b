// Request ids: the caller's own x-request-id when it is a short token (so a trace can cross
// services), else 16 random hex digits. Never logged unchecked: the accepted alphabet cannot
// break a log line or a header.
#pragma once

#include <string>
#include <string_view>

namespace bedrock::server {

// 1-64 characters of [A-Za-z0-9._-].
bool is_acceptable_request_id(std::string_view id);

// `offered` when acceptable, else a fresh id. Thread-safe (a per-thread generator).
std::string request_id_for(std::string_view offered);

}  // namespace bedrock::server
