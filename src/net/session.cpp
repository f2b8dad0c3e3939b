#include "session.h"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <exception>

#include "bedrock/core/log.h"
#include "listener.h"
#include "response_head.h"

namespace bedrock::net::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Session::Session(tcp::socket&& socket, std::shared_ptr<Listener> listener, const Handler& handler,
                 SharedState& shared, SessionRegistry& registry)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      watchdog_(socket_.get_executor()),
      listener_(std::move(listener)),
      handler_(handler),
      shared_(shared),
      registry_(registry) {}

Session::~Session() {
  registry_.remove(*this);
  release_body();
  end_request();
  listener_->on_session_closed();
}

void Session::start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->registry_.add(*self);
    self->do_read();
  });
}

bool Session::on_own_thread() {
  return socket_.get_executor().target<asio::io_context::executor_type>()->running_in_this_thread();
}

bool Session::answering(std::uint64_t request) const {
  return request == request_ && phase_ == Phase::Handling && !closed();
}

void Session::do_read() {
  phase_ = Phase::Reading;
  if (shared_.draining.load(std::memory_order_relaxed)) return close();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(shared_.options.max_header_bytes));
  parser_->body_limit(shared_.options.max_body_bytes);
  read_started_ = Clock::now();
  // The watchdog looks again at the header deadline; on_watchdog extends to the idle limit a
  // connection that has sent nothing yet.
  deadline_ = read_started_ + std::min<Clock::duration>(shared_.options.header_timeout,
                                                        shared_.options.idle_timeout);
  if (deadline_ < armed_for_) arm();
  // The head first: the body's size is checked and reserved before any of it is read.
  http::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(beast::error_code ec) {
  if (ec == http::error::body_limit) return refuse(Refusal::BodyTooLarge);
  if (ec == http::error::header_limit) return refuse(Refusal::HeadersTooLarge);
  if (ec) return close();                      // end_of_stream, timeout, reset, malformed request
  if (parser_->is_done()) return on_read({});  // no body
  // A chunked body's size is unknown until it ends: it may take up to the per-request limit,
  // so that much is reserved.
  const auto announced = parser_->content_length();
  const std::size_t bytes =
      announced ? static_cast<std::size_t>(*announced) : shared_.options.max_body_bytes;
  if (!reserve_body(bytes)) return refuse(Refusal::Busy);
  // A small body usually arrives with the head: parsing what the buffer already holds here
  // saves the pass through the loop's queue (and its poll of the reactor) that Beast's
  // async_read makes when it completes without reading.
  while (buffer_.size() > 0 && !parser_->is_done()) {
    beast::error_code put_ec;
    const std::size_t used = parser_->put(buffer_.data(), put_ec);
    buffer_.consume(used);
    if (put_ec == http::error::need_more) break;
    if (put_ec) return on_read(put_ec);
    if (used == 0) break;
  }
  if (parser_->is_done()) return on_read({});
  expire_after(shared_.options.idle_timeout);
  http::async_read(socket_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code read_ec, std::size_t) {
                     self->on_read(read_ec);
                   });
}

// Answers without reading the body, then closes (an unread body cannot be skipped).
void Session::refuse(Refusal kind) {
  release_body();
  begin_request();
  ++request_;
  phase_ = Phase::Handling;
  keep_alive_ = false;
  answer(request_, shared_.refusal(kind));
}

bool Session::reserve_body(std::size_t bytes) {
  const std::size_t budget = shared_.options.max_pending_body_bytes;
  std::size_t now = shared_.pending_body_bytes.load(std::memory_order_relaxed);
  do {
    if (bytes > budget || now > budget - bytes) return false;
  } while (!shared_.pending_body_bytes.compare_exchange_weak(now, now + bytes,
                                                             std::memory_order_relaxed));
  reserved_body_ = bytes;
  return true;
}

void Session::release_body() {
  if (reserved_body_ == 0) return;
  shared_.pending_body_bytes.fetch_sub(reserved_body_, std::memory_order_relaxed);
  reserved_body_ = 0;
}

void Session::on_read(beast::error_code ec) {
  if (ec == http::error::body_limit) return refuse(Refusal::BodyTooLarge);
  if (ec) return close();  // end_of_stream, timeout, reset, malformed request
  begin_request();
  ++request_;
  phase_ = Phase::Handling;
  expire_never();  // the handler's time is its own (after(), stream limits)
  HttpRequest& request = parser_->get();
  keep_alive_ = request.keep_alive();
  call_handler(request);
  // The body is no longer needed (a handler that keeps it has moved it out): its memory goes
  // back before a later answer.
  parser_.reset();
  release_body();
}

void Session::call_handler(HttpRequest& request) {
  try {
    handler_(request, Responder(shared_from_this()));
  } catch (const std::exception& e) {
    // The Responder was dropped while unwinding: the request is answered Unanswered.
    logger()->error("net: handler failed: {}", e.what());
  } catch (...) {
    logger()->error("net: handler failed: unknown exception");
  }
}

void Session::answer(std::uint64_t request, HttpResponse&& response) {
  if (!answering(request)) return;
  on_cancel_ = nullptr;
  phase_ = Phase::Writing;
  response_ = std::move(response);
  if (!response_.has_content_length() && !response_.chunked()) response_.prepare_payload();
  write_response();
}

void Session::write_response() {
  if (!response_.keep_alive()) keep_alive_ = false;
  if (shared_.draining.load(std::memory_order_relaxed)) keep_alive_ = false;
  response_.keep_alive(keep_alive_);
  serialize_head(response_, head_);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                                  asio::buffer(response_.body())};
  expire_after(shared_.options.idle_timeout);
  asio::async_write(
      socket_, buffers,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void Session::on_write(beast::error_code ec) {
  end_request();
  if (ec || !keep_alive_) return close();
  resume_reading();
}

void Session::answer_partial(std::uint64_t request, HttpResponse&& response,
                             std::size_t body_bytes) {
  if (!answering(request)) return;
  on_cancel_ = nullptr;
  phase_ = Phase::Writing;
  response_ = std::move(response);
  // The head says what a whole answer would have said; the connection closes regardless.
  response_.keep_alive(keep_alive_ && !shared_.draining.load(std::memory_order_relaxed));
  keep_alive_ = false;
  serialize_head(response_, head_);
  const std::string& body = response_.body();
  head_.append(body, 0, std::min(body_bytes, body.size()));
  expire_after(shared_.options.idle_timeout);
  asio::async_write(socket_, asio::buffer(head_),
                    [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
}

void Session::abort(std::uint64_t request) {
  if (!answering(request)) return;
  on_cancel_ = nullptr;  // the handler chose to cut: nothing to tell it
  close();
}

void Session::hold(std::uint64_t request, Clock::duration limit) {
  if (!answering(request)) return;
  on_cancel_ = nullptr;
  phase_ = Phase::Holding;
  discard_input_ = true;
  expire_after(limit);
  watch_peer();
}

void Session::on_cancel(std::uint64_t request, std::function<void()> fn) {
  if (!answering(request)) return;
  on_cancel_ = std::move(fn);
  watch_peer();
}

void Session::after(std::uint64_t request, Clock::duration delay, std::function<void()> fn) {
  if (request != request_ || closed()) return;
  if (phase_ == Phase::Handling) {
    expire_never();
  } else if (phase_ != Phase::Streaming) {
    return;
  }
  timer_.expires_after(delay);
  timer_.async_wait([self = shared_from_this(), request, fn = std::move(fn)](beast::error_code ec) {
    if (ec || self->request_ != request || self->closed()) return;
    try {
      fn();
    } catch (const std::exception& e) {
      logger()->error("net: delayed handler failed: {}", e.what());
    } catch (...) {
      logger()->error("net: delayed handler failed: unknown exception");
    }
  });
}

void Session::responder_dropped(std::uint64_t request) {
  if (answering(request)) answer(request, shared_.refusal(Refusal::Unanswered));
}

void Session::begin_request() {
  if (!in_request_) {
    in_request_ = true;
    shared_.in_flight.fetch_add(1, std::memory_order_relaxed);
  }
}

void Session::end_request() {
  if (in_request_) {
    in_request_ = false;
    shared_.in_flight.fetch_sub(1, std::memory_order_relaxed);
  }
}

void Session::expire_after(Clock::duration limit) {
  deadline_ = Clock::now() + limit;
  if (deadline_ < armed_for_) arm();
}

void Session::arm() {
  armed_for_ = deadline_;
  watchdog_.expires_at(deadline_);  // cancels a wait for a later time
  watchdog_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;  // re-armed or closed
    self->armed_for_ = Clock::time_point::max();
    if (self->closed()) return;
    self->on_watchdog();
  });
}

void Session::on_watchdog() {
  const auto now = Clock::now();
  if (now < deadline_) return arm();
  // Reading a head: a client that has sent nothing yet is idle (kept to idle_timeout); one
  // that has sent part of a head must have finished it by header_timeout.
  if (phase_ == Phase::Reading && parser_ && !parser_->is_header_done()) {
    const auto end =
        read_started_ + (buffer_.size() == 0 ? Clock::duration(shared_.options.idle_timeout)
                                             : Clock::duration(shared_.options.header_timeout));
    if (now < end) {
      deadline_ = end;
      return arm();
    }
  }
  close();
}

void Session::close() {
  end_request();
  release_body();
  if (closed()) return;
  closed_.store(true, std::memory_order_relaxed);
  registry_.remove(*this);
  timer_.cancel();
  watchdog_.cancel();
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  on_drained_ = nullptr;
  // An open stream, or a handler still working, learns that its request ended unanswered; the
  // callback may call back into this session, which is closed by now.
  auto cancel = std::move(on_cancel_);
  on_cancel_ = nullptr;
  if (cancel && (phase_ == Phase::Streaming || phase_ == Phase::Handling)) {
    try {
      cancel();
    } catch (...) {
      logger()->error("net: a cancel callback threw");
    }
  }
}

}  // namespace bedrock::net::detail
