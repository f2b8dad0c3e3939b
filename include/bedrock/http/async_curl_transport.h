// The production AsyncTransport: HTTP/1.1 exchanges as events on an io_context the caller owns,
// with the same connection set-up, limits and errors as CurlTransport's direct path.
//
// curl multi handles driven by curl_multi_socket_action from Asio (one per 32 connections: see
// docs/http-engine.md) open connections (DNS, TCP, the CONNECT tunnel for https through a proxy,
// TLS with verification, connect timeout) in CONNECT_ONLY mode on sockets the engine owns as
// Asio objects, at most 256 connects at a time. The engine then writes the request head itself
// and reads the response with the parser the sync path uses (curl_easy_send/recv, waiting with
// async_wait when they would block; a plain-http connection leaves curl once open and uses the
// socket directly). No thread per exchange;
// nothing on the loop blocks. Idle kept-alive connections wait in a LIFO pool per origin (at most
// max_idle_handles in all); a reused connection that answers nothing is re-sent once on a new one.
//
// Limits per exchange (CallOptions): connect_timeout (curl's), first_byte_timeout, read_timeout
// (silence) and deadline, as loop timers. options.cancelled is not polled: use the handle.
// Requests the direct path does not carry (HEAD, caller-set framing headers, plain http through
// a proxy) fail with ConfigurationInvalid: the sync CurlTransport handles those.
#pragma once

#include <cstddef>
#include <memory>

#include "bedrock/http/async_transport.h"
#include "bedrock/http/curl_transport.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace bedrock::http {

namespace detail {
class AsyncEngine;
}  // namespace detail

class AsyncCurlTransport final : public AsyncTransport {
 public:
  // Never null. Call start() and the accessors on `io`'s thread only.
  static std::shared_ptr<AsyncCurlTransport> create(boost::asio::io_context& io,
                                                    CurlTransportOptions options = {});
  // Exchanges still in flight end with Cancelled (their completions run on the io_context);
  // every connection is closed.
  ~AsyncCurlTransport() override;
  AsyncCurlTransport(const AsyncCurlTransport&) = delete;
  AsyncCurlTransport& operator=(const AsyncCurlTransport&) = delete;

  std::shared_ptr<AsyncExchange> start(Request request, CallOptions options,
                                       Completion done) override;

  const CurlTransportOptions& options() const;
  std::size_t idle_connections() const;  // pooled, for tests and diagnostics
  std::size_t in_flight() const;         // exchanges not yet completed

 private:
  explicit AsyncCurlTransport(std::shared_ptr<detail::AsyncEngine> engine);
  std::shared_ptr<detail::AsyncEngine> engine_;
};

}  // namespace bedrock::http
