// Private to the curl transport: one kept-alive HTTP/1.1 connection that curl opens in
// CONNECT_ONLY mode (name resolution, TCP, TLS with peer and host verification, connect
// timeout) and that this class then drives itself: it writes the request bytes with memcpy and
// parses the response with Boost.Beast's HTTP parser.
//
// Why not curl's HTTP engine for every call: libcurl 7.88 (Debian 12) copies each custom
// request header through its own printf, one callback per byte, about 100 instructions a byte.
// A signed Bedrock request carries ~500 header bytes, so curl's request builder cost more CPU
// than the whole rest of a call (callgrind: ~122k instructions a call through curl_easy_perform,
// ~11k through this path). Requests this path does not cover (plain http through a proxy, HEAD,
// framing headers set by the caller) keep using curl's full engine; see direct_target(). An https
// request through a proxy takes this path: curl opens the CONNECT tunnel and TLS inside it.
//
// Used by one thread at a time (it lives in a pooled CurlHandle).
#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bedrock/http/curl_transport.h"
#include "curl_call.h"
#include "response_reader.h"

namespace bedrock::http::detail {

// What the direct path needs of a request's URL.
struct DirectTarget {
  std::string_view origin;     // "scheme://host[:port]", as written
  std::string_view host_port;  // Host header value: ":port" only when not the scheme default
  std::string_view target;     // request target: "/path[?query]" ("/" when the URL has no path)
  bool https = false;
};

// The direct path's view of `request`, or nullopt when curl's full engine must carry it: a
// scheme other than http/https, user-info in the URL, HEAD, or a caller-set Content-Length,
// Transfer-Encoding, Expect, Connection or Upgrade header (framing curl manages itself).
// Proxies are the caller's decision (they are transport options, not part of the request).
std::optional<DirectTarget> direct_target(const Request& request);

// Appends the request head: request line, the caller's headers in order, Host and User-Agent
// when the request has none, Content-Length whenever there is a body or the method usually
// carries one, and the blank line. Headers must have been checked (no CR/LF/NUL).
void write_request_head(const Request& request, const DirectTarget& target,
                        std::string_view default_user_agent, std::string& out);

class DirectConnection {
 public:
  // nullptr when curl cannot allocate a handle. `options` must outlive the connection.
  static std::unique_ptr<DirectConnection> create(const CurlTransportOptions& options);
  ~DirectConnection();
  DirectConnection(const DirectConnection&) = delete;
  DirectConnection& operator=(const DirectConnection&) = delete;

  // One exchange, on the kept-alive connection when it leads to the same origin, else on a new
  // one. A reused connection that the server had closed (nothing at all comes back) costs one
  // reconnect and resend, as curl does, never a failed call. `connect_ms`/`backstop_ms` are
  // curl's connect timeout and overall backstop for the set-up, as the classic path sets them.
  Result<Response> perform(const Request& request, const DirectTarget& target,
                           const CallOptions& options, SteadyTime start, long connect_ms,
                           long backstop_ms);

 private:
  struct Outcome;
  DirectConnection(const CurlTransportOptions& options, CURL* easy, CURLM* multi);
  Outcome connect(const DirectTarget& target, CurlCall& call, long connect_ms, long backstop_ms);
  Outcome exchange(const Request& request, CurlCall& call, Response& response);
  Outcome send_all(std::string_view bytes, CurlCall& call);
  Outcome receive(CurlCall& call, Response& response);
  // Polls the socket for `events` within the call's limits: the revents, or -1 when the call
  // must stop (deadline, cancel, read timeout; call.abort says which).
  short wait_for(short events, CurlCall& call);
  void close();

  const CurlTransportOptions& options_;
  CURL* easy_;
  CURLM* multi_;
  bool added_ = false;  // easy_ is in multi_, holding the connection open
  curl_socket_t socket_ = CURL_SOCKET_BAD;
  std::string origin_;      // origin of the open connection, empty when none
  std::string origin_url_;  // origin + "/", what curl connects to
  std::string head_;        // request head, reused between calls
  ResponseReader reader_;   // keeps its buffer's capacity between calls
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace bedrock::http::detail
