// One connection: read a request (limits before bytes), hand it to the handler with a
// Responder, write the answer (whole, cut, or chunked with a bounded queue), then read the
// next one. Everything runs on the connection's I/O thread; Responder and ChunkedStream carry
// calls from other threads there. One watchdog timer holds every time limit.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bedrock/net/responder.h"
#include "bedrock/net/server.h"
#include "session_registry.h"
#include "shared_state.h"

namespace bedrock::net::detail {

class Listener;

class Session : public RegistryLink, public std::enable_shared_from_this<Session> {
 public:
  using Clock = std::chrono::steady_clock;

  Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<Listener> listener,
          const Handler& handler, SharedState& shared, SessionRegistry& registry);
  ~Session();

  void start();
  void close();
  bool closed() const { return closed_.load(std::memory_order_relaxed); }
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }
  bool on_own_thread();
  std::uint64_t request() const { return request_; }

  // Responder's calls; each checks that `request` is still the one being answered.
  void answer(std::uint64_t request, HttpResponse&& response);
  void answer_partial(std::uint64_t request, HttpResponse&& response, std::size_t body_bytes);
  void abort(std::uint64_t request);
  void hold(std::uint64_t request, Clock::duration limit);
  void on_cancel(std::uint64_t request, std::function<void()> fn);
  // While handling (no idle limit meanwhile) or streaming.
  void after(std::uint64_t request, Clock::duration delay, std::function<void()> fn);
  bool begin_stream(std::uint64_t request, HttpResponse&& head);
  void responder_dropped(std::uint64_t request);

  // ChunkedStream's calls (session_stream.cpp).
  bool stream_write(std::uint64_t request, std::string_view data);
  void stream_flush(std::uint64_t request);
  void stream_finish(std::uint64_t request);
  void stream_close(std::uint64_t request);
  void stream_on_drained(std::uint64_t request, std::function<void()> fn);
  void stream_on_cancel(std::uint64_t request, std::function<void()> fn);
  void stream_expire_after(std::uint64_t request, Clock::duration limit);
  void stream_hold(std::uint64_t request, Clock::duration limit);
  void stream_dropped(std::uint64_t request);
  std::size_t stream_queued(std::uint64_t request) const;

 private:
  enum class Phase { Reading, Handling, Writing, Streaming, Holding };

  void do_read();
  void on_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void refuse(Refusal kind);
  void call_handler(HttpRequest& request);
  bool reserve_body(std::size_t bytes);
  void release_body();
  void write_response();
  void on_write(boost::beast::error_code ec);
  void begin_request();
  void end_request();
  bool answering(std::uint64_t request) const;

  // session_stream.cpp
  void start_stream_write();
  void on_stream_written(boost::beast::error_code ec);
  void complete_stream();
  void resume_reading();
  void watch_peer();
  void on_peer_read(boost::beast::error_code ec, std::size_t bytes);

  // The watchdog: starting an operation only moves deadline_ (a clock read); the one timer
  // is re-armed when it fires early or when a deadline comes sooner than the one it waits
  // for. Beast's tcp_stream re-armed a timer for every operation, twice a request, which cost
  // more than the request's own socket work.
  void expire_after(Clock::duration limit);
  void expire_never() { deadline_ = Clock::time_point::max(); }
  void arm();
  void on_watchdog();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;     // after(): a delay chosen by the handler
  boost::asio::steady_timer watchdog_;  // every time limit (expire_after)
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point armed_for_ = Clock::time_point::max();
  Clock::time_point read_started_{};  // of the request head being read
  std::atomic<bool> closed_{false};
  Phase phase_ = Phase::Reading;
  std::uint64_t request_ = 0;  // counts requests; a stale Responder's calls are ignored
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  HttpResponse response_;
  std::string head_;  // kept between responses: its capacity is reused
  bool keep_alive_ = false;
  bool in_request_ = false;
  std::size_t reserved_body_ = 0;  // this session's share of pending_body_bytes

  // A chunked answer: bytes queued (pending_) and being written (writing_); both keep their
  // capacity for the next stream.
  std::string pending_;
  std::string writing_;
  bool write_in_flight_ = false;
  bool finishing_ = false;
  bool watching_ = false;  // a read is pending that notices the peer leaving (stream, handler)
  bool resume_after_watch_ = false;  // the stream ended while that read was pending
  bool discard_input_ = false;       // holding: what the client sends is read and dropped
  bool watch_keeps_ = false;         // the pending watch reads into buffer_ (else scratch_)
  Clock::time_point stream_deadline_ = Clock::time_point::max();
  std::function<void()> on_drained_;
  std::function<void()> on_cancel_;
  std::array<char, 4096> scratch_{};

  std::shared_ptr<Listener> listener_;
  const Handler& handler_;
  SharedState& shared_;
  SessionRegistry& registry_;
};

}  // namespace bedrock::net::detail
