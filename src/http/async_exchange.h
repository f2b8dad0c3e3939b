// Private to AsyncCurlTransport: one request/response exchange as a state machine on the loop.
// Connecting (a pooled connection, or curl opening one in the engine's multi) → Sending (our
// request head and body through curl_easy_send, async_wait(write) when it would block) →
// Receiving (curl_easy_recv into the shared ResponseReader, async_wait(read) when it would block)
// → Done. One steady_timer enforces the deadline, first-byte timeout and read timeout lazily:
// it is re-armed when it fires early, never on each read.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "async_engine.h"
#include "bedrock/http/async_transport.h"
#include "curl_call.h"
#include "direct_connection.h"
#include "response_reader.h"

namespace bedrock::http::detail {

class AsyncCurlExchange final : public AsyncExchange,
                                public ConnectListener,
                                public std::enable_shared_from_this<AsyncCurlExchange> {
 public:
  AsyncCurlExchange(std::shared_ptr<AsyncEngine> engine, Request request, CallOptions options,
                    AsyncTransport::Completion done);
  ~AsyncCurlExchange();

  // Starts the exchange (or completes it at once, from the loop, when it cannot start).
  void begin();
  void cancel() override;
  bool finished() const { return finished_; }
  // The transport is going away: ends the exchange with Cancelled.
  void abandon();
  void on_connected(CURLcode code) override;
  // Opens a new connection now (the engine calls it when a connect slot frees up).
  void start_connect();

 private:
  enum class Phase { Connecting, Sending, Receiving, Done };
  void connect_fresh();
  void start_sending();
  void send_some();
  void start_receiving();
  void receive_some();
  void wait_to_receive();
  void receive_failed(CURLcode code, std::string detail);
  void succeed();
  void abort(AbortReason reason);
  void fail_with(CURLcode code, std::string_view detail, bool connected);
  void complete(Result<Response> result);
  void arm_timer();
  void on_timer();

  std::shared_ptr<AsyncEngine> engine_;
  Request request_;
  CallOptions options_;
  AsyncTransport::Completion done_;
  std::optional<DirectTarget> target_;  // views into request_.url
  std::string out_;                     // request head (and the body, when small)
  std::size_t sent_ = 0;                // bytes of out_ then request_.body already sent
  std::unique_ptr<AsyncConnection> connection_;
  std::shared_ptr<AsyncSocket> socket_;
  ResponseReader reader_;
  CurlCall call_;
  boost::asio::steady_timer timer_;
  SteadyTime start_;
  SteadyTime timer_expiry_{};
  long connect_ms_ = 0;
  long backstop_ms_ = 0;
  Phase phase_ = Phase::Connecting;
  CURLcode send_error_ = CURLE_OK;
  std::string send_detail_;
  bool body_apart_ = false;  // the body is sent after out_ rather than inside it
  bool reused_ = false;
  bool timer_armed_ = false;
  bool cancel_requested_ = false;
  bool finished_ = false;
};

}  // namespace bedrock::http::detail
