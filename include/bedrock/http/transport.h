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

// Receives a response while it arrives (streamed answers). Runs on the thread that drives the
// transfer (the caller's for Transport, the io_context's for AsyncTransport). Must not throw.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // The final (non-1xx) status and headers, before any body byte. false aborts the exchange:
  // the transport ends it with Cancelled and does not reuse the connection.
  virtual bool on_head(int status, const Headers& headers) = 0;
  // Body bytes in arrival order, chunked framing removed; each call holds whatever one read
  // produced (a frame may be split anywhere). false aborts as on_head's false does.
  virtual bool on_body(std::string_view bytes) = 0;
};

// Per-call limits. Every wait is bounded: connect_timeout for the TCP+TLS set-up,
// first_byte_timeout for the wait between the request leaving and the response's first byte,
// read_timeout for silence between received bytes, deadline for the whole exchange.
struct CallOptions {
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds read_timeout{60000};
  // <= 0: none beyond read_timeout. A ReadTimeout error says "no response within ...".
  std::chrono::milliseconds first_byte_timeout{0};
  std::optional<SteadyTime> deadline;            // absolute; nullopt = no overall limit
  const std::atomic<bool>* cancelled = nullptr;  // polled; true aborts the transfer
  // When set, the body goes to the sink as it arrives and Response::body stays empty (the
  // response size limit still applies to the bytes passed through).
  BodySink* sink = nullptr;
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
