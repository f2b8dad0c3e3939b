#include "async_exchange.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <utility>

#include "bedrock/http/transport_stats.h"
#include "curl_errors.h"
#include "curl_setup.h"

namespace bedrock::http::detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Small: thousands of exchanges may be reading at once, and the buffer is released whenever
// the connection has nothing more to give.
constexpr std::size_t kReadChunk = 4 * 1024;
// Bodies up to this size are copied behind the head so the request leaves in one send().
constexpr std::size_t kInlineBodyBytes = 64 * 1024;
// Reads in one turn before letting other exchanges run (a server that never pauses).
constexpr int kReadsPerTurn = 16;

}  // namespace

AsyncCurlExchange::AsyncCurlExchange(std::shared_ptr<AsyncEngine> engine, Request request,
                                     CallOptions options, AsyncTransport::Completion done)
    : engine_(std::move(engine)),
      request_(std::move(request)),
      options_(options),
      done_(std::move(done)),
      reader_(kReadChunk),
      timer_(engine_->io()),
      start_(steady_clock::now()) {}

AsyncCurlExchange::~AsyncCurlExchange() = default;

void AsyncCurlExchange::begin() {
  const std::string_view origin = origin_of(request_.url);
  if (options_.deadline && *options_.deadline <= start_) {
    return complete(fail(ErrorCode::DeadlineExceeded,
                         fmt::format("{}: deadline already passed; request not sent", origin)));
  }
  if (auto ok = check_request_headers(request_); !ok) return complete(fail(std::move(ok.error())));
  target_ = direct_target(request_);
  if (!target_ || (!target_->https && !engine_->options().http_proxy.empty())) {
    return complete(fail(ErrorCode::ConfigurationInvalid,
                         fmt::format("{}: the async transport carries GET/POST-like requests "
                                     "to http(s) URLs without caller-set framing headers or a "
                                     "plain-http proxy; use CurlTransport for this one",
                                     origin)));
  }
  long long remaining_ms = -1;
  if (options_.deadline) {
    remaining_ms = std::chrono::ceil<milliseconds>(*options_.deadline - start_).count();
  }
  long long connect_ms = std::max<long long>(1, options_.connect_timeout.count());
  const long long backstop_ms = remaining_ms > 0 ? remaining_ms + kCurlTimerSlackMs : 0;
  if (remaining_ms > 0) connect_ms = std::min(connect_ms, backstop_ms);
  connect_ms_ = static_cast<long>(connect_ms);
  backstop_ms_ = static_cast<long>(backstop_ms);

  write_request_head(request_, *target_, engine_->options().user_agent, out_);
  // From here on only the bytes to send matter (a resend sends them again): what the request
  // held besides is freed, since thousands of exchanges may wait at once.
  request_.headers = Headers();
  if (request_.body.size() <= kInlineBodyBytes) {
    out_.append(request_.body);
    request_.body = std::string();
  }
  body_apart_ = !request_.body.empty();

  call_.max_body = engine_->options().max_response_bytes;
  call_.read_timeout = options_.read_timeout;
  call_.first_byte_timeout = options_.first_byte_timeout;
  call_.deadline = options_.deadline;
  call_.sink = options_.sink;
  call_.last_activity = start_;
  arm_timer();

  connection_ = engine_->take_idle(std::string(target_->origin));
  if (connection_) {
    reused_ = true;
    socket_ = connection_->socket;
    start_sending();
  } else {
    connect_fresh();
  }
}

void AsyncCurlExchange::connect_fresh() {
  reused_ = false;
  phase_ = Phase::Connecting;
  call_.connected = false;
  socket_.reset();
  if (engine_->may_connect()) return start_connect();
  engine_->wait_to_connect(weak_from_this());
}

void AsyncCurlExchange::start_connect() {
  std::string error;
  connection_ = engine_->open(*target_, connect_ms_, backstop_ms_, this, error);
  if (!connection_) {
    complete(fail(ErrorCode::Unknown, fmt::format("{}: {}", target_->origin, error)));
  }
}

void AsyncCurlExchange::on_connected(CURLcode code) {
  if (finished_) return;
  std::string detail;
  if (code == CURLE_OK) {
    curl_socket_t fd = CURL_SOCKET_BAD;
    curl_easy_getinfo(connection_->easy(), CURLINFO_ACTIVESOCKET, &fd);
    socket_ = fd == CURL_SOCKET_BAD ? nullptr : engine_->socket_for(fd);
    if (!socket_) {
      code = CURLE_COULDNT_CONNECT;
      detail = "connected, but curl reported no socket";
    }
  }
  if (code != CURLE_OK) {
    if (detail.empty()) detail = connection_->error;
    return fail_with(code, detail, false);
  }
  connection_->socket = socket_;
  if (!target_->https) engine_->detach(*connection_);
  start_sending();
}

void AsyncCurlExchange::start_sending() {
  phase_ = Phase::Sending;
  call_.connected = true;
  call_.response_started = false;
  call_.last_activity = steady_clock::now();  // the silence limits count from here
  sent_ = 0;
  send_error_ = CURLE_OK;
  send_detail_.clear();
  arm_timer();
  send_some();
}

void AsyncCurlExchange::send_some() {
  const std::size_t total = out_.size() + (body_apart_ ? request_.body.size() : 0);
  while (sent_ < total) {
    std::string_view rest = sent_ < out_.size()
                                ? std::string_view(out_).substr(sent_)
                                : std::string_view(request_.body).substr(sent_ - out_.size());
    std::size_t n = 0;
    connection_->error[0] = '\0';
    const CURLcode code = connection_->send(rest.data(), rest.size(), &n);
    if (code == CURLE_OK) {
      sent_ += n;
      call_.last_activity = steady_clock::now();
    } else if (code == CURLE_AGAIN) {
      socket_->wait(false, [self = shared_from_this()](const boost::system::error_code& ec) {
        if (!ec && !self->finished_ && !self->cancel_requested_) self->send_some();
      });
      return;
    } else {
      // The server may have answered early (a 413 for a large body) and hung up: its answer is
      // read, as on the sync path, before the send is called a failure.
      send_error_ = CURLE_SEND_ERROR;
      send_detail_ = connection_->error[0] != '\0' ? std::string(connection_->error)
                                                   : curl_easy_strerror(code);
      break;
    }
  }
  start_receiving();
}

void AsyncCurlExchange::start_receiving() {
  phase_ = Phase::Receiving;
  // The answer is rarely there the moment the request has left: wait until it is, so an
  // exchange waiting for its answer holds neither a read buffer nor a parser.
  socket_->wait(true, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->finished_) return;
    self->reader_.start(self->call_.max_body, self->call_.sink);
    self->receive_some();
  });
}

void AsyncCurlExchange::receive_some() {
  for (int reads = 0;; ++reads) {
    if (finished_ || cancel_requested_) return;  // a posted cancel ends it
    if (reads == kReadsPerTurn) {
      boost::asio::post(engine_->io(), [self = shared_from_this()] { self->receive_some(); });
      return;
    }
    auto space = reader_.prepare();
    std::size_t received = 0;
    connection_->error[0] = '\0';
    const CURLcode code =
        connection_->recv(static_cast<char*>(space.data()), space.size(), &received);
    if (code == CURLE_AGAIN) return wait_to_receive();
    if (code != CURLE_OK) {
      return receive_failed(CURLE_RECV_ERROR, connection_->error[0] != '\0'
                                                  ? std::string(connection_->error)
                                                  : curl_easy_strerror(code));
    }
    if (received == 0) {
      if (reader_.end_of_stream() == ResponseReader::Step::Failed) {
        return receive_failed(reader_.code(), reader_.detail());
      }
      return succeed();
    }
    reader_.commit(received);
    const SteadyTime now = steady_clock::now();
    call_.last_activity = now;
    call_.response_started = true;
    // Checked after every read too, as on the sync path, so a server streaming without pause
    // still meets the deadline.
    if (options_.deadline && now >= *options_.deadline) return abort(AbortReason::Deadline);
    const ResponseReader::Step step = reader_.parse();
    if (step == ResponseReader::Step::Failed)
      return receive_failed(reader_.code(), reader_.detail());
    if (step == ResponseReader::Step::Done) return succeed();
    // A short read from a plain socket emptied it (TCP hands over all it holds), so the next
    // recv would only say EAGAIN: one system call per streamed event saved. Not over TLS,
    // where curl may hold decrypted bytes the socket no longer shows.
    if (received < space.size() && connection_->detached()) return wait_to_receive();
  }
}

void AsyncCurlExchange::wait_to_receive() {
  reader_.release_buffer();  // an exchange waiting for its answer holds no read buffer
  socket_->wait(true, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->receive_some();
  });
}

void AsyncCurlExchange::receive_failed(CURLcode code, std::string detail) {
  if (reader_.abort() != AbortReason::None) call_.abort = reader_.abort();
  if (send_error_ != CURLE_OK && reader_.response_bytes() == 0 && code != CURLE_OK &&
      call_.abort == AbortReason::None) {
    code = send_error_;
    detail = send_detail_;
  }
  // A kept-alive connection the server has since closed answers nothing at all: the request
  // never reached a live server, so it goes again on a fresh connection (once).
  const bool nothing_came_back =
      reader_.response_bytes() == 0 && call_.abort == AbortReason::None &&
      (code == CURLE_GOT_NOTHING || code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR);
  if (reused_ && nothing_came_back) {
    count_stale_connection_resend();
    connection_.reset();
    return connect_fresh();
  }
  fail_with(code, detail, true);
}

void AsyncCurlExchange::succeed() {
  const bool reusable = reader_.keep_alive() && send_error_ == CURLE_OK;
  Response response = reader_.take_response();
  reader_.release_buffer();
  if (reusable) engine_->give_back(std::move(connection_));
  connection_.reset();
  complete(std::move(response));
}

void AsyncCurlExchange::abort(AbortReason reason) {
  call_.abort = reason;
  fail_with(CURLE_ABORTED_BY_CALLBACK, {}, phase_ != Phase::Connecting);
}

void AsyncCurlExchange::fail_with(CURLcode code, std::string_view detail, bool connected) {
  const SteadyTime end = steady_clock::now();
  const bool receiving = phase_ == Phase::Receiving;
  FailedTransfer failed;
  failed.code = code;
  failed.abort = call_.abort;
  failed.curl_detail = detail;
  failed.origin = target_ ? target_->origin : origin_of(request_.url);
  failed.connected = connected;
  failed.deadline_passed = options_.deadline && end >= *options_.deadline;
  failed.status = receiving ? reader_.status() : 0;
  failed.body_received = receiving ? static_cast<long long>(reader_.body_bytes()) : 0;
  failed.content_length = receiving ? reader_.content_length() : -1;
  failed.max_body = static_cast<long long>(engine_->options().max_response_bytes);
  failed.elapsed_ms = std::chrono::duration_cast<milliseconds>(end - start_).count();
  failed.read_timeout_ms = options_.read_timeout.count();
  failed.first_byte_timeout_ms = options_.first_byte_timeout.count();
  failed.connect_timeout_ms = connect_ms_;
  Error error = to_error(failed);
  complete(fail(std::move(error)));
}

void AsyncCurlExchange::complete(Result<Response> result) {
  if (finished_) return;
  auto self = shared_from_this();  // remove_live() may drop the last other owner
  finished_ = true;
  phase_ = Phase::Done;
  timer_.cancel();
  connection_.reset();  // closes a connection that was not given back
  socket_.reset();
  reader_.release_buffer();
  // Always from the loop, never inside start() or a curl callback; a completion that throws
  // is the caller's bug and must not unwind through the io_context's other work.
  boost::asio::post(engine_->io(), [done = std::move(done_), result = std::move(result)]() mutable {
    try {
      done(std::move(result));
    } catch (...) {
    }
  });
  engine_->remove_live(this);
}

void AsyncCurlExchange::cancel() {
  if (finished_ || cancel_requested_) return;
  cancel_requested_ = true;
  boost::asio::post(engine_->io(), [self = shared_from_this()] {
    if (!self->finished_) self->abort(AbortReason::Cancelled);
  });
}

void AsyncCurlExchange::abandon() {
  if (finished_) return;
  abort(AbortReason::Cancelled);
}

void AsyncCurlExchange::arm_timer() {
  if (finished_) return;
  SteadyTime next = SteadyTime::max();
  if (options_.deadline) next = *options_.deadline;
  if (const auto limit = call_.silence_limit(); call_.connected && limit.count() > 0) {
    next = std::min(next, call_.last_activity + limit);
  }
  if (next == SteadyTime::max()) return;
  // An earlier wake-up already pending re-evaluates then; the limits only move later.
  if (timer_armed_ && timer_expiry_ <= next) return;
  timer_armed_ = true;
  timer_expiry_ = next;
  timer_.expires_at(next);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    self->timer_armed_ = false;
    self->on_timer();
  });
}

void AsyncCurlExchange::on_timer() {
  if (finished_) return;
  if (call_.check(steady_clock::now()) != AbortReason::None) return abort(call_.abort);
  arm_timer();
}

}  // namespace bedrock::http::detail
