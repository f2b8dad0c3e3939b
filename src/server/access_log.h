// One JSON line per completed request (the service writes it to stderr through a LineWriter):
// when, request id, method, route, status, key id, model, tokens, cost, latency, upstream time,
// retries, fallbacks, upstream error code.
// Never a body, a header or a key: what a line holds is fixed here, and every string in it is
// either ours (route names, codes) or checked (request ids), except the model name, which is
// JSON-escaped and bounded.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "server/request_scope.h"

namespace bedrock::server {

struct AccessEntry {
  std::chrono::system_clock::time_point finished;
  std::string_view request_id;
  std::string_view method;
  std::string_view route;
  unsigned status = 0;
  std::string_view key_id;
  std::chrono::nanoseconds latency{0};
  UpstreamSummary upstream;
};

// The line, without its newline.
std::string access_log_line(const AccessEntry& entry);

}  // namespace bedrock::server
