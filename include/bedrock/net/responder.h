// How a handler answers: a Responder completes one request exactly once, now or later, with a
// whole response, a chunked stream, or (for fault injection) a cut connection. Dropping it
// unanswered makes the server answer 500 (ServerOptions::refusal), so a socket never hangs.
//
// Threads: send() and on_cancel() may be called from any thread (it is carried to the connection's
// executor). Everything else, ChunkedStream included, runs on executor(): call it there, or post
// there. Neither object may outlive the Server. Callbacks run on executor() and must not throw.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "bedrock/net/http_types.h"

namespace bedrock::net {

namespace detail {
class Session;
}

class ChunkedStream;

class Responder {
 public:
  Responder() = default;
  explicit Responder(std::shared_ptr<detail::Session> session);
  Responder(Responder&&) noexcept;
  Responder& operator=(Responder&&) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();  // unanswered: the server answers 500

  boost::asio::any_io_executor executor() const;

  // The whole response. Content-Length is set when the response has none.
  void send(HttpResponse response);

  // Starts a chunked response with `head` (its body is ignored; Transfer-Encoding: chunked is
  // set). The head is written with the first chunk, or by flush().
  ChunkedStream stream(HttpResponse head);

  // `fn` runs once if the connection ends before the answer is written: the peer closed or
  // reset it, or the server stopped. Lets a handler stop work (an upstream call) for a client
  // that left. The connection is read meanwhile: bytes a pipelining client sends are kept for
  // its next request. Callable from any thread; nothing happens once the answer has started.
  void on_cancel(std::function<void()> fn);

  // Calls `next` with this responder after `delay` on the connection's timer (a timer, never a
  // sleeping thread). The connection has no idle limit meanwhile.
  void after(std::chrono::steady_clock::duration delay, std::function<void(Responder)> next);

  // Fault injection: close without answering; write the head and the first `body_bytes` of
  // the body, then close; or hold the connection unanswered (reading and discarding what the
  // client sends) until the client closes it or `limit` passes.
  void close();
  void send_partial(HttpResponse response, std::size_t body_bytes);
  void hold(std::chrono::steady_clock::duration limit);

  explicit operator bool() const { return session_ != nullptr; }

 private:
  std::shared_ptr<detail::Session> session_;
  std::uint64_t request_ = 0;  // which request of the connection this answers
};

// The body of a chunked response, chunk by chunk, with a bound on unsent bytes
// (ServerOptions::max_stream_queue_bytes). Dropping it unfinished cuts the connection (the
// client sees a body without its last chunk, never a complete-looking answer).
class ChunkedStream {
 public:
  ChunkedStream() = default;
  explicit ChunkedStream(std::shared_ptr<detail::Session> session);
  ChunkedStream(ChunkedStream&&) noexcept;
  ChunkedStream& operator=(ChunkedStream&&) noexcept;
  ChunkedStream(const ChunkedStream&) = delete;
  ChunkedStream& operator=(const ChunkedStream&) = delete;
  ~ChunkedStream();

  boost::asio::any_io_executor executor() const;

  // Queues `data` as one chunk and starts writing. false: not queued, because the unsent
  // bytes would pass the bound (the peer is slow; wait for on_drained) or the stream is over
  // (cancelled, finished). A chunk larger than the bound is taken when nothing is queued.
  bool write(std::string_view data);
  // Writes what is queued (the head, if nothing else) without waiting for a chunk.
  void flush();
  // Queues the last chunk; once written the request is complete and keep-alive goes on.
  void finish();
  // Cuts the connection now; unsent bytes are dropped. on_cancel is not called.
  void close();

  // `fn` runs once, the next time every queued byte has been written (at once if none is).
  void on_drained(std::function<void()> fn);
  // `fn` runs once if the stream ends before finish() is written: the peer closed or reset
  // the connection, a write failed, the stream timed out or the server stopped.
  void on_cancel(std::function<void()> fn);
  // The stream is cut (on_cancel runs) unless finished within `limit` from now.
  void expire_after(std::chrono::steady_clock::duration limit);
  // Calls `fn` after `delay` on the connection's timer, unless the stream ended first.
  void after(std::chrono::steady_clock::duration delay, std::function<void()> fn);
  // Gives the stream up without ending it: nothing more is written and the connection is
  // held (what the client sends is discarded) until the client closes it or `limit` passes.
  // Fault injection; on_cancel is not called, and dropping the handle no longer cuts.
  void hold(std::chrono::steady_clock::duration limit);

  std::size_t queued_bytes() const;
  explicit operator bool() const { return session_ != nullptr; }

 private:
  std::shared_ptr<detail::Session> session_;
  std::uint64_t request_ = 0;
};

}  // namespace bedrock::net
