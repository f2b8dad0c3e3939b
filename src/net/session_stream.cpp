// The chunked side of a session: a bounded queue of unsent bytes written one gathered write
// at a time, and a read that notices the peer leaving while the stream is open.
#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <exception>

#include "bedrock/core/log.h"
#include "response_head.h"
#include "session.h"

namespace bedrock::net::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

void run_callback(const std::function<void()>& fn, const char* what) {
  try {
    fn();
  } catch (const std::exception& e) {
    logger()->error("net: {} callback failed: {}", what, e.what());
  } catch (...) {
    logger()->error("net: {} callback failed: unknown exception", what);
  }
}

}  // namespace

bool Session::begin_stream(std::uint64_t request, HttpResponse&& head) {
  if (!answering(request)) return false;
  phase_ = Phase::Streaming;
  finishing_ = false;
  stream_deadline_ = Clock::time_point::max();
  head.erase(boost::beast::http::field::content_length);
  head.chunked(true);
  if (shared_.draining.load(std::memory_order_relaxed)) keep_alive_ = false;
  if (!head.keep_alive()) keep_alive_ = false;
  head.keep_alive(keep_alive_);
  serialize_head(head, head_);
  pending_.clear();
  pending_.append(head_);
  watch_peer();
  return true;
}

bool Session::stream_write(std::uint64_t request, std::string_view data) {
  if (request != request_ || phase_ != Phase::Streaming || finishing_ || closed()) return false;
  if (data.empty()) return true;  // an empty chunk would end the body
  const std::size_t queued = pending_.size() + writing_.size();
  if (queued > 0 && queued + data.size() > shared_.options.max_stream_queue_bytes) return false;
  fmt::format_to(std::back_inserter(pending_), "{:x}\r\n", data.size());
  pending_.append(data).append("\r\n");
  start_stream_write();
  return true;
}

void Session::stream_flush(std::uint64_t request) {
  if (request == request_ && phase_ == Phase::Streaming) start_stream_write();
}

void Session::stream_finish(std::uint64_t request) {
  if (request != request_ || phase_ != Phase::Streaming || finishing_ || closed()) return;
  finishing_ = true;
  pending_.append("0\r\n\r\n");
  start_stream_write();
}

void Session::stream_close(std::uint64_t request) {
  if (request != request_ || phase_ != Phase::Streaming) return;
  on_cancel_ = nullptr;
  close();
}

void Session::stream_on_drained(std::uint64_t request, std::function<void()> fn) {
  if (request != request_ || phase_ != Phase::Streaming || closed()) return;
  if (write_in_flight_ || !pending_.empty()) {
    on_drained_ = std::move(fn);
    return;
  }
  // Never inline: the caller may be in the middle of its own write loop.
  asio::post(socket_.get_executor(), [self = shared_from_this(), request, fn = std::move(fn)] {
    if (self->request_ == request && self->phase_ == Phase::Streaming && !self->closed()) {
      run_callback(fn, "drained");
    }
  });
}

void Session::stream_on_cancel(std::uint64_t request, std::function<void()> fn) {
  if (request == request_ && phase_ == Phase::Streaming && !closed()) on_cancel_ = std::move(fn);
}

void Session::stream_expire_after(std::uint64_t request, Clock::duration limit) {
  if (request != request_ || phase_ != Phase::Streaming) return;
  stream_deadline_ = Clock::now() + limit;
  deadline_ = stream_deadline_;
  if (deadline_ < armed_for_) arm();
}

void Session::stream_hold(std::uint64_t request, Clock::duration limit) {
  if (request != request_ || phase_ != Phase::Streaming) return;
  // The stream is over for its producer: the handle may go, the connection stays held.
  phase_ = Phase::Holding;
  on_cancel_ = nullptr;
  on_drained_ = nullptr;
  discard_input_ = true;
  expire_after(limit);
  watch_peer();
}

void Session::stream_dropped(std::uint64_t request) {
  if (request != request_ || phase_ != Phase::Streaming || finishing_) return;
  on_cancel_ = nullptr;
  close();
}

std::size_t Session::stream_queued(std::uint64_t request) const {
  if (request != request_ || phase_ != Phase::Streaming) return 0;
  return pending_.size() + writing_.size();
}

void Session::start_stream_write() {
  if (write_in_flight_ || pending_.empty() || closed()) return;
  writing_.swap(pending_);
  pending_.clear();
  write_in_flight_ = true;
  // A peer that stops reading holds the write: idle_timeout bounds it.
  deadline_ = std::min(stream_deadline_, Clock::now() + shared_.options.idle_timeout);
  if (deadline_ < armed_for_) arm();
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->on_stream_written(ec);
                    });
}

void Session::on_stream_written(beast::error_code ec) {
  write_in_flight_ = false;
  writing_.clear();
  if (closed()) return;
  if (ec) return close();
  deadline_ = stream_deadline_;
  if (!pending_.empty()) return start_stream_write();
  if (finishing_) return complete_stream();
  if (on_drained_) {
    auto fn = std::move(on_drained_);
    on_drained_ = nullptr;
    run_callback(fn, "drained");
  }
}

void Session::complete_stream() {
  on_cancel_ = nullptr;
  on_drained_ = nullptr;
  phase_ = Phase::Writing;
  discard_input_ = false;
  end_request();
  if (!keep_alive_ || shared_.draining.load(std::memory_order_relaxed)) return close();
  resume_reading();
}

void Session::resume_reading() {
  if (watching_) {
    // One read at a time on a socket: the watch ends first, then the next request is read.
    resume_after_watch_ = true;
    beast::error_code ignored;
    socket_.cancel(ignored);
    return;
  }
  do_read();
}

// While an answer streams (or holds, or a handler with a cancel callback works), a read notices the
// peer closing or resetting the connection. Bytes that arrive are kept for the next request (a
// pipelining client), up to the header limit; past it the read stops, and the write deadline still
// bounds the peer.
void Session::watch_peer() {
  if (watching_ || closed()) return;
  if (!discard_input_ && buffer_.size() >= shared_.options.max_header_bytes) return;
  watching_ = true;
  watch_keeps_ = !discard_input_;
  const auto space = watch_keeps_ ? buffer_.prepare(scratch_.size()) : asio::buffer(scratch_);
  socket_.async_read_some(space,
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->on_peer_read(ec, bytes);
                          });
}

void Session::on_peer_read(beast::error_code ec, std::size_t bytes) {
  watching_ = false;
  if (closed()) return;
  if (watch_keeps_ && !ec) buffer_.commit(bytes);
  if (resume_after_watch_) {
    resume_after_watch_ = false;
    return do_read();
  }
  if (ec) return close();  // the peer left: on_cancel runs
  const bool handler_waits = phase_ == Phase::Handling && on_cancel_;
  if (phase_ == Phase::Streaming || phase_ == Phase::Holding || handler_waits) watch_peer();
}

}  // namespace bedrock::net::detail
