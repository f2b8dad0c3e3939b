#include "bedrock/net/server.h"

#include <thread>
#include <vector>

#include "io_pool.h"
#include "listener.h"
#include "shared_state.h"

namespace bedrock::net {

struct Server::Impl {
  explicit Impl(ServerOptions options)
      : shared(std::move(options)), pool(shared.options.threads, shared.options.busy_poll) {}

  detail::SharedState shared;
  detail::IoPool pool;
  std::vector<std::shared_ptr<detail::Listener>> listeners;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

Result<std::uint16_t> Server::listen(const std::string& host, std::uint16_t port, Handler handler,
                                     std::size_t max_connections) {
  auto listener = std::make_shared<detail::Listener>(impl_->pool, std::move(handler), impl_->shared,
                                                     max_connections);
  auto bound = listener->bind(host, port);
  if (bound) impl_->listeners.push_back(std::move(listener));
  return bound;
}

void Server::start() {
  Impl& d = *impl_;
  if (d.started || d.stopped) return;
  for (auto& listener : d.listeners) listener->accept();
  d.pool.run();
  d.started = true;
}

std::vector<boost::asio::io_context*> Server::io_contexts() const {
  std::vector<boost::asio::io_context*> loops;
  for (std::size_t i = 0; i < impl_->pool.size(); ++i) loops.push_back(&impl_->pool.at(i).context);
  return loops;
}

std::vector<std::chrono::microseconds> Server::poll_windows() const {
  std::vector<std::chrono::microseconds> windows;
  for (std::size_t i = 0; i < impl_->pool.size(); ++i) {
    windows.push_back(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::nanoseconds(
            impl_->pool.at(i).poll_window_ns.load(std::memory_order_relaxed))));
  }
  return windows;
}

std::size_t Server::open_connections() const {
  std::size_t n = 0;
  for (const auto& listener : impl_->listeners) n += listener->connections();
  return n;
}

std::size_t Server::in_flight() const { return impl_->shared.in_flight.load(); }

void Server::stop(std::chrono::milliseconds grace) {
  Impl& d = *impl_;
  if (d.stopped) return;
  d.stopped = true;
  d.shared.draining.store(true);
  for (auto& listener : d.listeners) listener->close();
  if (d.started) {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (d.shared.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // Every connection still open is closed on its own thread, so open streams see their
    // cancel callbacks and nothing refers to a session once the threads end.
    d.pool.close_sessions(std::chrono::seconds(2));
  }
  d.pool.stop();
}

}  // namespace bedrock::net
