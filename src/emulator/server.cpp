#include "server.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <functional>
#include <span>
#include <thread>
#include <vector>

#include "admin_api.h"
#include "bedrock/core/log.h"
#include "request_boundary.h"
#include "response_head.h"
#include "service.h"

namespace bedrock::emulator {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Handler = std::function<Reply(const HttpRequest&)>;

// One io_context per I/O thread: no cross-thread locking inside Asio on the hot path.
class IoPool {
 public:
  explicit IoPool(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < threads; ++i) {
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      guards_.emplace_back(asio::make_work_guard(*contexts_.back()));
    }
  }
  asio::io_context& next() {
    return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
  }
  asio::io_context& first() { return *contexts_.front(); }
  void run() {
    for (auto& ctx : contexts_) {
      // No exception may end an I/O thread (that would terminate the process): handlers are
      // wrapped by request_boundary.h, and anything else thrown out of run() is logged and
      // the loop resumed.
      threads_.emplace_back([c = ctx.get()] {
        for (;;) {
          try {
            c->run();
            return;
          } catch (const std::exception& e) {
            logger()->error("bedrock-emulator: I/O thread: {}", e.what());
          } catch (...) {
            logger()->error("bedrock-emulator: I/O thread: unknown exception");
          }
        }
      });
    }
  }
  void stop() {
    guards_.clear();
    for (auto& ctx : contexts_) ctx->stop();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }
  // The first context (which owns the acceptors) goes last: sessions destroyed with the
  // other contexts still refer to their listener.
  ~IoPool() {
    stop();
    while (!contexts_.empty()) contexts_.pop_back();
  }

 private:
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

struct SharedState {
  const ServerOptions& options;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> pending_body_bytes{0};  // reserved by sessions reading a body
  std::atomic<bool> draining{false};
};

class Listener;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Listener> listener, const Handler& handler,
          SharedState& shared)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        watchdog_(socket_.get_executor()),
        listener_(std::move(listener)),
        handler_(handler),
        shared_(shared) {}
  ~Session();

  void start() {
    asio::dispatch(socket_.get_executor(),
                   beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    if (shared_.draining.load(std::memory_order_relaxed)) return close();
    parser_.emplace();
    parser_->body_limit(shared_.options.max_body_bytes);
    expire_after(shared_.options.idle_timeout);
    // The head first: the body's size is reserved from the budget shared by all connections
    // before any of it is read.
    http::async_read_header(socket_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::body_limit) return refuse_body_limit();
    if (ec) return close();  // end_of_stream, timeout, reset, malformed request
    if (parser_->is_done()) return on_read({}, 0);  // no body
    // A chunked body's size is unknown until it ends: it may take up to the per-request
    // limit, so that much is reserved.
    const auto announced = parser_->content_length();
    const std::size_t bytes =
        announced ? static_cast<std::size_t>(*announced) : shared_.options.max_body_bytes;
    if (!reserve_body(bytes)) {
      return refuse("ServiceUnavailableException",
                    "Too many request bytes are being received; retry later.");
    }
    http::async_read(socket_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  // Answers without reading the body, then closes (the unread body cannot be skipped).
  // Errors become responses in one place (make_error_response); these cannot reach the
  // Service because the body was never read.
  void refuse(std::string_view error_type, std::string_view message) {
    begin_request();
    reply_ = Reply{};
    reply_.response = make_error_response(error_type, message, new_request_id());
    keep_alive_ = false;
    reply_.response.keep_alive(false);
    act();
  }
  void refuse_body_limit() {
    release_body();
    refuse("ValidationException", fmt::format("Request body exceeds the maximum of {} bytes.",
                                              shared_.options.max_body_bytes));
  }

  bool reserve_body(std::size_t bytes) {
    const std::size_t budget = shared_.options.max_pending_body_bytes;
    std::size_t now = shared_.pending_body_bytes.load(std::memory_order_relaxed);
    do {
      if (bytes > budget || now > budget - bytes) return false;
    } while (!shared_.pending_body_bytes.compare_exchange_weak(now, now + bytes,
                                                               std::memory_order_relaxed));
    reserved_body_ = bytes;
    return true;
  }
  void release_body() {
    if (reserved_body_ == 0) return;
    shared_.pending_body_bytes.fetch_sub(reserved_body_, std::memory_order_relaxed);
    reserved_body_ = 0;
  }

  void on_read(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::body_limit) return refuse_body_limit();
    if (ec) return close();  // end_of_stream, timeout, reset, malformed request
    begin_request();
    reply_ = handler_(parser_->get());
    keep_alive_ = parser_->get().keep_alive() && !shared_.draining.load(std::memory_order_relaxed);
    // The body is no longer needed: its memory goes back before the (possibly delayed) reply.
    parser_.reset();
    release_body();
    reply_.response.keep_alive(keep_alive_);
    if (reply_.delay > Duration::zero()) {
      expire_never();
      timer_.expires_after(reply_.delay);
      timer_.async_wait(beast::bind_front_handler(&Session::on_delay, shared_from_this()));
      return;
    }
    act();
  }

  void on_delay(beast::error_code ec) {
    if (ec) return close();
    act();
  }

  void act() {
    switch (reply_.action) {
      case ReplyAction::Respond: {
        serialize_head(reply_.response, head_);
        const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                                        asio::buffer(reply_.response.body())};
        expire_after(shared_.options.idle_timeout);
        asio::async_write(socket_, buffers,
                          beast::bind_front_handler(&Session::on_write, shared_from_this()));
        return;
      }
      case ReplyAction::Drop:
        return close();
      case ReplyAction::Truncate: {
        serialize_head(reply_.response, head_);
        const std::string& body = reply_.response.body();
        head_.append(body, 0, body.size() / 2);
        expire_after(shared_.options.idle_timeout);
        asio::async_write(
            socket_, asio::buffer(head_),
            [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
        return;
      }
      case ReplyAction::Stall:
        expire_after(shared_.options.stall_timeout);
        return stall();
      case ReplyAction::Stream:
        serialize_head(reply_.response, head_);
        head_sent_ = false;
        next_event_ = 0;
        return stream_step();
    }
  }

  // A paced stream (StreamPlan): the head goes with the first event, then one event per gap,
  // each an HTTP chunk. The waits are timers on this connection's executor, as the latency
  // is: a paced stream holds no thread, so thousands of them share the I/O threads.
  void stream_step() {
    const StreamPlan& plan = *reply_.stream;
    if (plan.cut != StreamPlan::Cut::None && next_event_ == plan.cut_after) return stream_cut();
    if (next_event_ < plan.events.size()) return stream_write(plan.events[next_event_], false);
    stream_write({}, true);
  }

  // Writes the head (once), then `event` as a chunk; `last` ends the chunked body after it.
  void stream_write(std::string_view event, bool last) {
    static constexpr std::string_view kChunkEnd = "\r\n";
    static constexpr std::string_view kChunkEndAndBodyEnd = "\r\n0\r\n\r\n";
    static constexpr std::string_view kBodyEnd = "0\r\n\r\n";
    // A member: the write keeps a view of it until it completes.
    auto& buffers = stream_buffers_;
    std::size_t n = 0;
    if (!head_sent_) buffers[n++] = asio::buffer(head_);
    head_sent_ = true;
    if (!event.empty()) {
      chunk_head_ = fmt::format("{:x}\r\n", event.size());
      buffers[n++] = asio::buffer(chunk_head_);
      buffers[n++] = asio::buffer(event.data(), event.size());
      const std::string_view end = last ? kChunkEndAndBodyEnd : kChunkEnd;
      buffers[n++] = asio::buffer(end.data(), end.size());
    } else if (last) {
      buffers[n++] = asio::buffer(kBodyEnd.data(), kBodyEnd.size());
    }
    expire_after(shared_.options.idle_timeout);
    asio::async_write(socket_, std::span(buffers.data(), n),
                      [self = shared_from_this(), last](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        if (last) return self->on_write(ec, 0);
                        self->on_event_written();
                      });
  }

  void on_event_written() {
    const StreamPlan& plan = *reply_.stream;
    ++next_event_;
    const bool more = next_event_ < plan.events.size() || plan.cut != StreamPlan::Cut::None;
    if (!more || plan.gap <= Duration::zero()) return stream_step();
    wait_then(plan.gap, &Session::stream_step);
  }

  void wait_then(Duration wait, void (Session::*next)()) {
    timer_.expires_after(wait);
    timer_.async_wait([self = shared_from_this(), next](beast::error_code ec) {
      if (ec) return self->close();
      ((*self).*next)();
    });
  }

  void stream_cut() {
    StreamPlan& plan = *reply_.stream;
    switch (plan.cut) {
      case StreamPlan::Cut::Exception:
        return stream_write(plan.exception_event, true);
      case StreamPlan::Cut::Drop:
        if (!head_sent_) return write_head_then(&Session::stream_cut);
        return close();
      case StreamPlan::Cut::Stall:
        if (!head_sent_) return write_head_then(&Session::stream_cut);
        if (plan.stall <= Duration::zero()) {
          expire_after(shared_.options.stall_timeout);
          return stall();
        }
        plan.cut = StreamPlan::Cut::None;  // the stream resumes after the pause
        expire_after(plan.stall + shared_.options.idle_timeout);
        return wait_then(plan.stall, &Session::stream_step);
      case StreamPlan::Cut::None:
        return stream_step();
    }
  }

  void write_head_then(void (Session::*next)()) {
    head_sent_ = true;
    expire_after(shared_.options.idle_timeout);
    asio::async_write(socket_, asio::buffer(head_),
                      [self = shared_from_this(), next](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        ((*self).*next)();
                      });
  }

  // Holds the connection without answering; reads (and discards) until the client closes
  // it or the stall timeout passes.
  void stall() {
    socket_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->stall();
                            });
  }

  void on_write(beast::error_code ec, std::size_t /*bytes*/) {
    end_request();
    if (ec || !keep_alive_) return close();
    do_read();
  }

  void begin_request() {
    if (!in_request_) {
      in_request_ = true;
      shared_.in_flight.fetch_add(1, std::memory_order_relaxed);
    }
  }
  void end_request() {
    if (in_request_) {
      in_request_ = false;
      shared_.in_flight.fetch_sub(1, std::memory_order_relaxed);
    }
  }

  // The idle and stall limits. Starting a read or a write only moves deadline_ (a clock read);
  // the one timer is re-armed when it fires early or when a deadline comes sooner than the
  // one it waits for. Beast's tcp_stream re-armed a timer for every operation, twice a
  // request, which cost more than the request's own socket work.
  void expire_after(std::chrono::steady_clock::duration limit) {
    deadline_ = std::chrono::steady_clock::now() + limit;
    if (deadline_ < armed_for_) arm();
  }
  void expire_never() { deadline_ = std::chrono::steady_clock::time_point::max(); }
  void arm() {
    armed_for_ = deadline_;
    watchdog_.expires_at(deadline_);  // cancels a wait for a later time
    watchdog_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // re-armed or closed
      self->armed_for_ = std::chrono::steady_clock::time_point::max();
      if (self->closed_) return;
      if (std::chrono::steady_clock::now() >= self->deadline_) return self->close();
      self->arm();
    });
  }

  void close() {
    end_request();
    release_body();
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    watchdog_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;     // the configured latency before answering
  asio::steady_timer watchdog_;  // idle and stall limits (expire_after)
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point armed_for_ = std::chrono::steady_clock::time_point::max();
  bool closed_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Reply reply_;
  std::string head_;        // kept between responses: its capacity is reused
  std::string chunk_head_;  // a streamed event's chunk-size line
  std::array<asio::const_buffer, 4> stream_buffers_;
  std::size_t next_event_ = 0;  // of reply_.stream
  bool head_sent_ = false;
  std::array<char, 4096> scratch_{};
  bool keep_alive_ = false;
  bool in_request_ = false;
  std::size_t reserved_body_ = 0;  // this session's share of pending_body_bytes
  std::shared_ptr<Listener> listener_;
  const Handler& handler_;
  SharedState& shared_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(IoPool& pool, Handler handler, SharedState& shared, std::size_t max_connections)
      : pool_(pool),
        acceptor_(pool.first()),
        retry_timer_(pool.first()),
        handler_(std::move(handler)),
        shared_(shared),
        max_connections_(max_connections) {}

  Status bind(const std::string& host, std::uint16_t port) {
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("--host '{}': not an IP address", host));
    }
    const tcp::endpoint endpoint(address, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    return {};
  }

  std::uint16_t port() const { return port_; }
  std::size_t connections() const { return connections_.load(); }

  // Accepts on the acceptor's own context and then moves the descriptor to the next I/O
  // context. Accepting straight into another context's socket leaves a pending operation that
  // refers to that context; destroying the contexts at shutdown then reads freed memory.
  void accept() {
    acceptor_.async_accept(beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void close() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_timer_.cancel();
    });
  }

  void on_session_closed() {
    const std::size_t now = connections_.fetch_sub(1) - 1;
    // While stopping, the acceptor's io_context may already be gone: never post to it.
    if (shared_.draining.load()) return;
    if (now < max_connections_ && paused_.exchange(false)) {
      asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
    }
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning.
      logger()->warn("bedrock-emulator: accept failed: {}", ec.message());
      retry_timer_.expires_after(std::chrono::milliseconds(50));
      retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->accept();
      });
      return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto protocol = socket.local_endpoint(ignored).protocol();
    const auto native = socket.release(ignored);
    if (ignored) return accept();
    tcp::socket moved(pool_.next());
    moved.assign(protocol, native, ignored);
    if (ignored) {
      ::close(native);
      return accept();
    }
    socket = std::move(moved);
    const std::size_t open = connections_.fetch_add(1) + 1;
    std::make_shared<Session>(std::move(socket), shared_from_this(), handler_, shared_)->start();
    if (open < max_connections_) return accept();
    paused_.store(true);
    // A session may have closed between the count and the flag; do not stay paused then.
    if (connections_.load() < max_connections_ && paused_.exchange(false)) accept();
  }

  IoPool& pool_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  Handler handler_;
  SharedState& shared_;
  std::size_t max_connections_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> paused_{false};
  std::uint16_t port_ = 0;
};

Session::~Session() {
  release_body();
  listener_->on_session_closed();
}

std::uint64_t effective_seed(std::uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

struct Emulator::Impl {
  Impl(ServerOptions opts, const Clock& c)
      : options(std::move(opts)),
        clock(c),
        auth(options.auth, clock),
        behavior(clock, effective_seed(options.seed)),
        service(auth, options.fixtures, behavior, counters, prompt_cache, clock),
        admin(behavior, counters),
        shared{options},
        pool(options.threads) {}

  ServerOptions options;
  const Clock& clock;
  AuthVerifier auth;
  Behavior behavior;
  Counters counters;
  PromptCacheStore prompt_cache;
  Service service;
  AdminApi admin;
  SharedState shared;
  IoPool pool;
  std::shared_ptr<Listener> main_listener;
  std::shared_ptr<Listener> admin_listener;
  bool started = false;
  bool stopped = false;
};

Emulator::Emulator(ServerOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

Emulator::~Emulator() { stop(std::chrono::milliseconds(0)); }

Behavior& Emulator::behavior() { return impl_->behavior; }
Counters& Emulator::counters() { return impl_->counters; }

Status Emulator::start() {
  Impl& d = *impl_;
  if (d.started) return {};
  d.main_listener = std::make_shared<Listener>(
      d.pool,
      data_plane_boundary([svc = &d.service](const HttpRequest& r) { return svc->handle(r); }),
      d.shared, d.options.max_connections);
  if (auto st = d.main_listener->bind(d.options.host, d.options.port); !st) return st;
  if (d.options.admin_port) {
    // The admin port keeps its own small limit so it stays reachable under full load.
    d.admin_listener = std::make_shared<Listener>(
        d.pool,
        admin_boundary([api = &d.admin](const HttpRequest& r) { return api->handle(r); },
                       d.options.admin_token),
        d.shared, 1024);
    if (auto st = d.admin_listener->bind(d.options.admin_host, *d.options.admin_port); !st) {
      return st;
    }
    d.admin_listener->accept();
  }
  d.main_listener->accept();
  d.pool.run();
  d.started = true;
  return {};
}

std::uint16_t Emulator::port() const {
  return impl_->main_listener ? impl_->main_listener->port() : 0;
}

std::optional<std::uint16_t> Emulator::admin_port() const {
  if (!impl_->admin_listener) return std::nullopt;
  return impl_->admin_listener->port();
}

std::size_t Emulator::open_connections() const {
  std::size_t n = 0;
  if (impl_->main_listener) n += impl_->main_listener->connections();
  if (impl_->admin_listener) n += impl_->admin_listener->connections();
  return n;
}

void Emulator::stop(std::chrono::milliseconds drain) {
  Impl& d = *impl_;
  if (d.stopped) return;
  d.stopped = true;
  d.shared.draining.store(true);
  if (d.main_listener) d.main_listener->close();
  if (d.admin_listener) d.admin_listener->close();
  if (d.started) {
    const auto deadline = std::chrono::steady_clock::now() + drain;
    while (d.shared.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  d.pool.stop();
}

}  // namespace bedrock::emulator
