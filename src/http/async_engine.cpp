#include "async_engine.h"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <utility>

#include "async_exchange.h"
#include "curl_setup.h"

namespace bedrock::http::detail {
namespace {

// curl's smallest receive buffer: the CONNECT_ONLY handles never read through it (we do,
// with curl_easy_recv into our own buffer), so every byte of its default 16 KiB would be waste
// multiplied by the connections in flight.
constexpr long kCurlBufferBytes = 1024;
// Connections per curl multi handle (see async_engine.h).
constexpr std::size_t kConnectionsPerMulti = 32;
constexpr std::size_t kMaxConnecting = 256;

}  // namespace

void AsyncSocket::wait(bool read, std::function<void(const boost::system::error_code&)> handler) {
  if (foreign) {
    foreign->async_wait(read ? boost::asio::posix::descriptor_base::wait_read
                             : boost::asio::posix::descriptor_base::wait_write,
                        std::move(handler));
  } else {
    socket.async_wait(
        read ? boost::asio::socket_base::wait_read : boost::asio::socket_base::wait_write,
        std::move(handler));
  }
}

void AsyncSocket::close(boost::system::error_code& ec) {
  if (unregistered_fd >= 0) {
    ec = ::close(std::exchange(unregistered_fd, -1)) == 0
             ? boost::system::error_code()
             : boost::system::error_code(errno, boost::system::system_category());
    return;
  }
  socket.close(ec);
}

AsyncConnection::~AsyncConnection() {
  if (detached()) {
    if (socket) {
      socket->closed = true;
      boost::system::error_code ignored;
      socket->close(ignored);  // ends any wait on it
    }
    return;
  }
  if (holds_connect_slot) shard_->engine->release_connect_slot();
  // Removing a CONNECT_ONLY handle from its multi closes the connection it holds (through the
  // engine's close callback, which closes the Asio socket and so ends any wait on it).
  if (in_multi) {
    curl_multi_remove_handle(shard_->multi, easy_);
    --shard_->connections;
  }
  curl_easy_cleanup(easy_);
}

CURLcode AsyncConnection::send(const char* data, std::size_t size, std::size_t* sent) {
  if (!detached()) return curl_easy_send(easy_, data, size, sent);
  *sent = 0;
  const ssize_t n = ::send(socket->socket.native_handle(), data, size, MSG_NOSIGNAL);
  if (n >= 0) {
    *sent = static_cast<std::size_t>(n);
    return CURLE_OK;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return CURLE_AGAIN;
  // curl's own words for the same failure, so both ways give the same error text.
  std::snprintf(error, sizeof error, "Send failure: %s", std::strerror(errno));
  return CURLE_SEND_ERROR;
}

CURLcode AsyncConnection::recv(char* data, std::size_t size, std::size_t* received) {
  if (!detached()) return curl_easy_recv(easy_, data, size, received);
  *received = 0;
  const ssize_t n = ::recv(socket->socket.native_handle(), data, size, 0);
  if (n >= 0) {
    *received = static_cast<std::size_t>(n);
    return CURLE_OK;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return CURLE_AGAIN;
  std::snprintf(error, sizeof error, "Recv failure: %s", std::strerror(errno));
  return CURLE_RECV_ERROR;
}

std::shared_ptr<AsyncEngine> AsyncEngine::create(boost::asio::io_context& io,
                                                 CurlTransportOptions options) {
  return std::shared_ptr<AsyncEngine>(new AsyncEngine(io, std::move(options)));
}

AsyncEngine::AsyncEngine(boost::asio::io_context& io, CurlTransportOptions options)
    : io_(io), options_(std::move(options)) {}

AsyncEngine::~AsyncEngine() {
  shutdown();
  for (auto& shard : shards_) curl_multi_cleanup(shard->multi);
}

CurlShard* AsyncEngine::shard_with_room() {
  for (auto& shard : shards_) {
    if (shard->connections < kConnectionsPerMulti) return shard.get();
  }
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return nullptr;
  auto shard = std::make_unique<CurlShard>(*this, io_, multi);
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &AsyncEngine::on_socket);
  curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, shard.get());
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &AsyncEngine::on_timer);
  curl_multi_setopt(multi, CURLMOPT_TIMERDATA, shard.get());
  shards_.push_back(std::move(shard));
  return shards_.back().get();
}

void AsyncEngine::shutdown() {
  if (shut_down_) return;
  std::vector<std::shared_ptr<AsyncCurlExchange>> live;
  live.reserve(live_.size());
  for (auto& [raw, exchange] : live_) live.push_back(exchange);
  for (auto& exchange : live) exchange->abandon();
  live_.clear();
  idle_.clear();  // closes the pooled connections
  idle_total_ = 0;
  for (auto& shard : shards_) shard->timer.cancel();
  for (auto& [fd, socket] : sockets_) {
    socket->closed = true;
    boost::system::error_code ignored;
    if (socket->foreign) {
      socket->foreign->release();
    } else {
      socket->close(ignored);
    }
  }
  sockets_.clear();
  shut_down_ = true;
}

void AsyncEngine::add_live(std::shared_ptr<AsyncCurlExchange> exchange) {
  AsyncCurlExchange* raw = exchange.get();
  live_.emplace(raw, std::move(exchange));
}

void AsyncEngine::remove_live(AsyncCurlExchange* exchange) { live_.erase(exchange); }

std::unique_ptr<AsyncConnection> AsyncEngine::take_idle(const std::string& origin) {
  auto it = idle_.find(origin);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  auto connection = std::move(it->second.back());
  it->second.pop_back();
  --idle_total_;
  return connection;
}

void AsyncEngine::give_back(std::unique_ptr<AsyncConnection> connection) {
  if (shut_down_ || idle_total_ >= options_.max_idle_handles) return;  // closes it
  auto& stack = idle_[connection->origin];
  stack.push_back(std::move(connection));
  ++idle_total_;
}

std::unique_ptr<AsyncConnection> AsyncEngine::open(const DirectTarget& target, long connect_ms,
                                                   long backstop_ms, ConnectListener* listener,
                                                   std::string& error) {
  CurlShard* shard = shard_with_room();
  CURL* easy = shard == nullptr ? nullptr : curl_easy_init();
  if (easy == nullptr) {
    error = "curl could not allocate a handle";
    return nullptr;
  }
  auto connection = std::make_unique<AsyncConnection>(shard, easy);
  apply_connection_options(easy, options_, connection->error);
  curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
  // The engine pools connections itself and curl never reuses a CONNECT_ONLY one; without this
  // curl would still scan every connection to the host (thousands in flight) on each connect.
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, kCurlBufferBytes);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &AsyncEngine::on_open);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &AsyncEngine::on_close);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, connection.get());
  connection->origin.assign(target.origin);
  connection->origin_url.assign(target.origin).append("/");
  curl_easy_setopt(easy, CURLOPT_URL, connection->origin_url.c_str());
  // As on the sync direct path: an https request through a proxy gets a CONNECT tunnel with TLS
  // inside it; no_proxy exceptions are curl's to apply.
  curl_easy_setopt(easy, CURLOPT_PROXY, target.https ? options_.https_proxy.c_str() : "");
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, backstop_ms);
  connection->listener = listener;
  if (curl_multi_add_handle(shard->multi, easy) != CURLM_OK) {
    error = "curl_multi_add_handle failed";
    return nullptr;
  }
  connection->in_multi = true;
  ++shard->connections;
  connection->holds_connect_slot = true;
  ++connecting_;
  return connection;
}

bool AsyncEngine::may_connect() const {
  return connecting_ < kMaxConnecting && waiting_to_connect_.empty();
}

void AsyncEngine::wait_to_connect(std::weak_ptr<AsyncCurlExchange> exchange) {
  waiting_to_connect_.push_back(std::move(exchange));
}

void AsyncEngine::release_connect_slot() {
  --connecting_;
  if (waiting_to_connect_.empty() || pump_posted_ || shut_down_) return;
  // From the loop: a slot is released inside curl-driven code and destructors.
  pump_posted_ = true;
  boost::asio::post(io_, [self = shared_from_this()] {
    self->pump_posted_ = false;
    self->start_waiting_connects();
  });
}

void AsyncEngine::start_waiting_connects() {
  while (!shut_down_ && connecting_ < kMaxConnecting && !waiting_to_connect_.empty()) {
    auto exchange = waiting_to_connect_.front().lock();
    waiting_to_connect_.pop_front();
    if (exchange && !exchange->finished()) exchange->start_connect();
  }
}

void AsyncEngine::detach(AsyncConnection& connection) {
  if (connection.detached() || !connection.socket) return;
  const curl_socket_t fd = connection.socket->socket.native_handle();
  // libcurl closes a CONNECT_ONLY handle's connection inside curl_multi_remove_handle, through
  // on_close, which leaves this one socket open; kept-alive reuse in the tests relies on it.
  detaching_ = fd;
  curl_multi_remove_handle(connection.shard_->multi, connection.easy_);
  detaching_ = CURL_SOCKET_BAD;
  --connection.shard_->connections;
  connection.in_multi = false;
  curl_easy_cleanup(connection.easy_);
  connection.easy_ = nullptr;
  sockets_.erase(fd);  // the connection owns it now; curl no longer knows it
}

std::shared_ptr<AsyncSocket> AsyncEngine::socket_for(curl_socket_t fd) const {
  auto it = sockets_.find(fd);
  if (it == sockets_.end() || it->second->foreign) return nullptr;
  return it->second;
}

curl_socket_t AsyncEngine::on_open(void* data, curlsocktype purpose, curl_sockaddr* address) try {
  auto* engine = static_cast<AsyncEngine*>(data);
  const bool tcp = purpose == CURLSOCKTYPE_IPCXN && address->socktype == SOCK_STREAM &&
                   (address->family == AF_INET || address->family == AF_INET6);
  if (!tcp || engine->shut_down_) {
    return ::socket(address->family, address->socktype, address->protocol);
  }
  auto socket = std::make_shared<AsyncSocket>(engine->io_);
  boost::system::error_code ec;
  socket->socket.open(
      address->family == AF_INET6 ? boost::asio::ip::tcp::v6() : boost::asio::ip::tcp::v4(), ec);
  if (ec) return CURL_SOCKET_BAD;
  const curl_socket_t fd = socket->socket.native_handle();
  engine->sockets_[fd] = std::move(socket);
  return fd;
} catch (...) {
  // Out of memory: curl reports a failed connect; nothing may unwind through curl.
  return CURL_SOCKET_BAD;
}

int AsyncEngine::on_close(void* data, curl_socket_t fd) {
  auto* engine = static_cast<AsyncEngine*>(data);
  if (fd == engine->detaching_) {  // handed over to its AsyncConnection
    engine->detaching_ = CURL_SOCKET_BAD;
    return 0;
  }
  auto it = engine->sockets_.find(fd);
  if (it == engine->sockets_.end() || it->second->foreign) return ::close(fd);
  it->second->closed = true;
  boost::system::error_code ec;
  it->second->close(ec);
  engine->sockets_.erase(it);
  return ec ? -1 : 0;
}

namespace {

void reregister_without_write_interest(AsyncSocket& s) {
  boost::system::error_code ec;
  const auto local = s.socket.local_endpoint(ec);
  if (ec) {
    s.socket.cancel(ec);
    return;
  }
  // release() ends the pending waits (operation_aborted) as cancel() did, and keeps the fd open.
  const int fd = s.socket.release(ec);
  if (ec) {
    s.socket.cancel(ec);
    return;
  }
  // Should the reactor refuse it, the fd stays open (curl still holds its number) until the
  // connection is closed; its waits fail and the exchange on it with them.
  if (s.socket.assign(local.protocol(), fd, ec); ec) s.unregistered_fd = fd;
}

}  // namespace

int AsyncEngine::on_socket(CURL*, curl_socket_t fd, int what, void* data, void*) try {
  auto* shard = static_cast<CurlShard*>(data);
  AsyncEngine* engine = shard->engine;
  auto it = engine->sockets_.find(fd);
  if (what == CURL_POLL_REMOVE) {
    if (it == engine->sockets_.end()) return 0;
    it->second->curl_wants = 0;
    if (!it->second->foreign) {
      // curl is done with it (connected): its waits end here, before an exchange starts its own.
      // The socket is registered with the reactor afresh: connecting waited for writability,
      // and Asio re-arms an edge-triggered descriptor with every event it ever waited for on
      // each new wait, so an always-ready EPOLLOUT would wake the loop once more for every
      // read wait (each answer, each streamed chunk) for the connection's whole life.
      reregister_without_write_interest(*it->second);
    } else {
      // curl closes its own pipe; we only stop watching it (release() ends the pending waits).
      it->second->closed = true;
      it->second->foreign->release();
      engine->sockets_.erase(it);
    }
    return 0;
  }
  if (it == engine->sockets_.end()) {
    // Not a connection curl opened through us: the threaded resolver's wake-up pipe.
    auto socket = std::make_shared<AsyncSocket>(engine->io_);
    socket->foreign.emplace(engine->io_, fd);
    it = engine->sockets_.emplace(fd, std::move(socket)).first;
  }
  it->second->curl_wants = what;
  it->second->shard = shard;
  engine->watch(fd, it->second);
  return 0;
} catch (...) {
  // Out of memory: curl fails the transfer; nothing may unwind through curl.
  return -1;
}

void AsyncEngine::watch(curl_socket_t fd, const std::shared_ptr<AsyncSocket>& socket) {
  auto arm = [&](bool read) {
    bool& pending = read ? socket->curl_read_pending : socket->curl_write_pending;
    const int bit = read ? CURL_POLL_IN : CURL_POLL_OUT;
    if (pending || (socket->curl_wants & bit) == 0) return;
    pending = true;
    socket->wait(read, [self = shared_from_this(), socket, fd, read,
                        bit](const boost::system::error_code& ec) {
      (read ? socket->curl_read_pending : socket->curl_write_pending) = false;
      if (ec || socket->closed || self->shut_down_ || (socket->curl_wants & bit) == 0) return;
      self->act(*socket->shard, fd, read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
      if (!socket->closed && !self->shut_down_) self->watch(fd, socket);
    });
  };
  arm(true);
  arm(false);
}

int AsyncEngine::on_timer(CURLM*, long timeout_ms, void* data) try {
  auto* shard = static_cast<CurlShard*>(data);
  if (timeout_ms < 0) {
    shard->timer.cancel();
    return 0;
  }
  // Even a zero timeout runs from the loop, never inside the curl call that asked for it.
  shard->timer.expires_after(std::chrono::milliseconds(timeout_ms));
  shard->timer.async_wait(
      [self = shard->engine->shared_from_this(), shard](const boost::system::error_code& ec) {
        if (!ec && !self->shut_down_) self->act(*shard, CURL_SOCKET_TIMEOUT, 0);
      });
  return 0;
} catch (...) {
  // Out of memory: curl fails the transfers; nothing may unwind through curl.
  return -1;
}

void AsyncEngine::act(CurlShard& shard, curl_socket_t fd, int mask) {
  int running = 0;
  curl_multi_socket_action(shard.multi, fd, mask, &running);
  finish_connects(shard);
}

void AsyncEngine::finish_connects(CurlShard& shard) {
  // Collected first: a listener may close its connection (curl_multi_remove_handle), which
  // invalidates the messages still queued for it.
  std::vector<std::pair<AsyncConnection*, CURLcode>> done;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(shard.multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    char* priv = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    if (priv != nullptr)
      done.emplace_back(reinterpret_cast<AsyncConnection*>(priv), msg->data.result);
  }
  for (auto& [connection, code] : done) {
    if (connection->holds_connect_slot) {
      connection->holds_connect_slot = false;
      release_connect_slot();
    }
    ConnectListener* listener = std::exchange(connection->listener, nullptr);
    if (listener != nullptr) listener->on_connected(code);
  }
}

}  // namespace bedrock::http::detail
