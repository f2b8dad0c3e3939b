// The HTTP seam: a request goes in, a response or a typed transport error comes out.
// Implementations never throw through this interface.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"

namespace bedrock::http {

// Header names keep the caller's spelling; lookups are case-insensitive.
using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup of the first header with this name.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct Request {
  std::string method = "POST";
  std::string url;  // absolute: scheme://host[:port]/path[?query], path already percent-encoded
  Headers headers;
  std::string body;
};

struct Response {
  int status = 0;
  Headers headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

// Per-call limits. Every wait is bounded: connect_timeout for the TCP+TLS set-up,
// read_timeout for silence between received bytes, deadline for the whole exchange.
struct CallOptions {
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds read_timeout{60000};
  std::optional<SteadyTime> deadline;            // absolute; nullopt = no overall limit
  const std::atomic<bool>* cancelled = nullptr;  // polled; true aborts the transfer
};

// Thread-safe: one Transport is shared by every thread of a client.
// Errors: ConnectionFailed, ConnectionReset, ReadTimeout, TlsFailed, DeadlineExceeded,
// Cancelled, InvalidResponse. An HTTP error status is a Response, not an Error.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<Response> send(const Request& request, const CallOptions& options) = 0;
};

}  // namespace bedrock::http
