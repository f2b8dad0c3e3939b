// The production Transport: synchronous HTTP/1.1 over libcurl with kept-alive connections.
//
// Two engines behind one contract. The direct path: curl opens the connection (DNS, TCP, the
// CONNECT tunnel when an https request has a proxy, TLS with verification, connect timeout) and
// the transport writes the HTTP/1.1 request itself and parses the response with Boost.Beast.
// Debian 12's libcurl spends about 100 instructions on every request-header byte, which made
// curl's request builder the largest CPU cost of a signed Bedrock call. Plain-http requests
// through a proxy, HEAD, and requests whose caller set Content-Length, Transfer-Encoding, Expect,
// Connection or Upgrade use curl's full HTTP engine. Both give the same errors.
//
// Connection reuse: a LIFO pool of curl handles, each with its own connection cache. A call
// borrows one handle (so concurrent calls use distinct connections and never contend inside
// curl) and gives it back with its connection still open; the most recently returned handle is
// lent first, so N concurrent callers settle on N connections. Idle handles beyond
// max_idle_handles are closed.
//
// Timeouts per call (CallOptions): connect_timeout bounds TCP+TLS set-up; read_timeout bounds
// silence (no byte sent or received; <= 0 disables it); deadline bounds the whole call, and a
// deadline already in the past fails at once without sending. `cancelled` is polled at least every
// 25 ms. first_byte_timeout (when > 0) replaces read_timeout as the silence limit from the moment
// the request has left until the response's first byte; its ReadTimeout says "no response within".
//
// Streaming: with CallOptions::sink, both engines hand the head and then each piece of body to
// the sink as it is read (chunked framing removed); Response::body stays empty and
// max_response_bytes still bounds the bytes passed through. A sink returning false ends the call
// with Cancelled and closes the connection.
//
// TLS peer and host verification are always on for https. Proxies follow curl's rules
// (http_proxy for http:// URLs, https_proxy for https:// URLs, no_proxy exceptions) but only
// from these options: the process environment is never read behind the caller's back.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "bedrock/core/environment.h"
#include "bedrock/http/transport.h"

namespace bedrock::http {

struct CurlTransportOptions {
  std::string ca_bundle;    // PEM file of trusted CAs; empty = the system trust store
  std::string http_proxy;   // proxy for http:// URLs ("http://host:port"); empty = none
  std::string https_proxy;  // proxy for https:// URLs (tunnelled with CONNECT); empty = none
  std::string no_proxy;     // curl NO_PROXY syntax: "localhost,.internal,10.0.0.0/8" or "*"
  std::size_t max_idle_handles = 64;  // pooled idle handles (each keeps one live connection)
  std::size_t max_response_bytes = 256u * 1024 * 1024;  // larger bodies fail InvalidResponse
  std::string user_agent = "bedrock-content/0.1";       // used when the request has no User-Agent
};

// Reads AWS_CA_BUNDLE, https_proxy/HTTPS_PROXY, http_proxy/HTTP_PROXY and no_proxy/NO_PROXY
// (lower case wins, as in curl and Python's urllib; upper-case HTTP_PROXY is honoured like the
// AWS SDKs do). Empty values count as unset.
CurlTransportOptions options_from_environment(const Environment& env);

class CurlTransport final : public Transport {
 public:
  CurlTransport();
  explicit CurlTransport(CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Thread-safe; the transport must outlive every call in flight. Returns the response for
  // any HTTP status. Errors: ConnectionFailed (resolve/connect/proxy failure; a connect timeout
  // says "timed out"), TlsFailed, ConnectionReset (peer closed/reset mid-exchange, with byte
  // counts when known), ReadTimeout, DeadlineExceeded, Cancelled, InvalidResponse (unparseable
  // or oversized response) and ConfigurationInvalid (unsupported URL scheme, bad header).
  Result<Response> send(const Request& request, const CallOptions& options) override;

  const CurlTransportOptions& options() const { return options_; }
  std::size_t idle_handles() const;  // for tests and diagnostics

 private:
  class Pool;
  CurlTransportOptions options_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace bedrock::http
