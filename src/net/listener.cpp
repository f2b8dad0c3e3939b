#include "listener.h"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "bedrock/core/log.h"
#include "session.h"

namespace bedrock::net::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

Listener::Listener(IoPool& pool, Handler handler, SharedState& shared, std::size_t max_connections)
    : pool_(pool),
      acceptor_(pool.first().context),
      retry_timer_(pool.first().context),
      handler_(std::move(handler)),
      shared_(shared),
      max_connections_(max_connections) {}

Result<std::uint16_t> Listener::bind(const std::string& host, std::uint16_t port) {
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
  return port_;
}

// Accepts on the acceptor's own context and then moves the descriptor to the next I/O
// context. Accepting straight into another context's socket leaves a pending operation that
// refers to that context; destroying the contexts at shutdown then reads freed memory.
void Listener::accept() {
  acceptor_.async_accept(beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::on_session_closed() {
  const std::size_t now = connections_.fetch_sub(1) - 1;
  // While stopping, the acceptor's io_context may already be gone: never post to it.
  if (shared_.draining.load()) return;
  if (now < max_connections_ && paused_.exchange(false)) {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
  }
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // EMFILE and friends: back off briefly instead of spinning.
    logger()->warn("net: accept failed: {}", ec.message());
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
  Worker& worker = pool_.next();
  tcp::socket moved(worker.context);
  moved.assign(protocol, native, ignored);
  if (ignored) {
    ::close(native);
    return accept();
  }
  const std::size_t open = connections_.fetch_add(1) + 1;
  std::make_shared<Session>(std::move(moved), shared_from_this(), handler_, shared_,
                            worker.sessions)
      ->start();
  if (open < max_connections_) return accept();
  paused_.store(true);
  // A session may have closed between the count and the flag; do not stay paused then.
  if (connections_.load() < max_connections_ && paused_.exchange(false)) accept();
}

}  // namespace bedrock::net::detail
