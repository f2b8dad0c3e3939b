#include "fakes/loopback_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>

#include "fakes/loopback_connection.h"
#include "fakes/loopback_request_reader.h"

namespace bedrock::testing {

using detail::Io;
using detail::LoopbackConnection;

struct LoopbackServer::Worker {
  std::thread thread;
  std::uint64_t connection_id = 0;
  std::atomic<bool> done{false};
};

struct LoopbackServer::TlsContext {
  SSL_CTX* ctx = nullptr;
  ~TlsContext() { SSL_CTX_free(ctx); }
};

namespace {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 424:
      return "Failed Dependency";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

bool has_header(const LoopbackHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return true;
    }
  }
  return false;
}

std::string response_head(const LoopbackResponse& r, bool close) {
  std::string head = fmt::format("HTTP/1.1 {} {}\r\n", r.status,
                                 r.reason.empty() ? reason_phrase(r.status) : r.reason);
  for (const auto& [key, value] : r.headers) head += fmt::format("{}: {}\r\n", key, value);
  if (r.add_content_length && !has_header(r.headers, "Content-Length")) {
    head += fmt::format("Content-Length: {}\r\n", r.body.size());
  }
  if (close && !has_header(r.headers, "Connection")) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

// Connects to a loopback "host:port" CONNECT target; -1 for anything that is not loopback, so a
// test can never make the proxy reach beyond 127.0.0.1.
int connect_loopback(std::string_view target) {
  std::size_t colon = target.rfind(':');
  if (colon == std::string_view::npos) return -1;
  std::string_view host = target.substr(0, colon);
  if (host != "127.0.0.1" && host != "localhost") return -1;
  int port = 0;
  for (char c : target.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return -1;
    port = port * 10 + (c - '0');
  }
  if (port <= 0 || port > 65535) return -1;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

void tunnel(LoopbackConnection& conn, std::string_view target) {
  int upstream = connect_loopback(target);
  if (upstream < 0) {
    conn.write_all("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  if (conn.write_all("HTTP/1.1 200 Connection established\r\n\r\n") == Io::Ok) {
    conn.relay(upstream);
  }
  ::close(upstream);
}

Status tls_error(std::string what) {
  char buf[256] = {};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  ERR_clear_error();
  return fail(ErrorCode::ConfigurationInvalid, fmt::format("loopback TLS: {}: {}", what, buf));
}

}  // namespace

LoopbackServer::LoopbackServer(Handler handler) : LoopbackServer(std::move(handler), Options{}) {}

LoopbackServer::LoopbackServer(Handler handler, Options options)
    : options_(std::move(options)), handler_(std::move(handler)) {}

LoopbackServer::~LoopbackServer() { stop(); }

Status LoopbackServer::start() {
  if (started_.exchange(true)) return fail(ErrorCode::ConfigurationInvalid, "started twice");
  // TLS writes go through write(2), which raises SIGPIPE on a closed peer; tests must not die.
  std::signal(SIGPIPE, SIG_IGN);
  if (options_.tls) {
    tls_ = std::make_unique<TlsContext>();
    tls_->ctx = SSL_CTX_new(TLS_server_method());
    if (tls_->ctx == nullptr) return tls_error("SSL_CTX_new");
    BIO* cert_bio = BIO_new_mem_buf(options_.tls->certificate_pem.data(),
                                    static_cast<int>(options_.tls->certificate_pem.size()));
    X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    BIO_free(cert_bio);
    if (cert == nullptr) return tls_error("certificate PEM");
    int ok = SSL_CTX_use_certificate(tls_->ctx, cert);
    X509_free(cert);
    if (ok != 1) return tls_error("use certificate");
    BIO* key_bio = BIO_new_mem_buf(options_.tls->private_key_pem.data(),
                                   static_cast<int>(options_.tls->private_key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    BIO_free(key_bio);
    if (key == nullptr) return tls_error("private key PEM");
    ok = SSL_CTX_use_PrivateKey(tls_->ctx, key);
    EVP_PKEY_free(key);
    if (ok != 1) return tls_error("use private key");
  }

  if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return fail(ErrorCode::ConnectionFailed, fmt::format("pipe: {}", std::strerror(errno)));
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listen_fd_ < 0) {
    return fail(ErrorCode::ConnectionFailed, fmt::format("socket: {}", std::strerror(errno)));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 512) != 0) {
    return fail(ErrorCode::ConnectionFailed, fmt::format("bind: {}", std::strerror(errno)));
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
  return {};
}

void LoopbackServer::stop() {
  if (!started_.load() || stopping_.exchange(true)) return;
  if (stop_pipe_[1] >= 0) {
    char byte = 1;
    [[maybe_unused]] auto n = ::write(stop_pipe_[1], &byte, 1);
  }
  if (acceptor_.joinable()) acceptor_.join();
  std::list<std::unique_ptr<Worker>> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w->thread.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (int& fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  listen_fd_ = -1;
  cv_.notify_all();
}

std::string LoopbackServer::url(std::string_view path) const {
  return fmt::format("{}://127.0.0.1:{}{}", tls_ ? "https" : "http", port_, path);
}

void LoopbackServer::set_handler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

LoopbackServer::Handler LoopbackServer::current_handler() const {
  std::lock_guard lock(mu_);
  return handler_;
}

std::vector<LoopbackRequest> LoopbackServer::requests() const {
  std::lock_guard lock(mu_);
  return log_;
}

bool LoopbackServer::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return log_.size() >= count || stopping_.load(); }) &&
         log_.size() >= count;
}

void LoopbackServer::record(const LoopbackRequest& request) {
  {
    std::lock_guard lock(mu_);
    log_.push_back(request);
    requests_served_.fetch_add(1);
  }
  cv_.notify_all();
}

void LoopbackServer::reap_finished_workers() {
  std::list<std::unique_ptr<Worker>> finished;
  {
    std::lock_guard lock(mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      if ((*it)->done.load()) {
        finished.push_back(std::move(*it));
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& w : finished) w->thread.join();
}

void LoopbackServer::accept_loop() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || fds[1].revents != 0) return;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) continue;
    reap_finished_workers();
    if (active_connections_.load() >= options_.max_connections) {
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto worker = std::make_unique<Worker>();
    worker->connection_id = connections_accepted_.fetch_add(1) + 1;
    active_connections_.fetch_add(1);
    Worker* raw = worker.get();
    {
      std::lock_guard lock(mu_);
      workers_.push_back(std::move(worker));
    }
    raw->thread = std::thread([this, raw, fd] { serve(raw, fd); });
  }
}

void LoopbackServer::serve(Worker* worker, int fd) {
  SSL* ssl = tls_ ? SSL_new(tls_->ctx) : nullptr;
  {
    LoopbackConnection conn(fd, stop_pipe_[0], ssl);
    detail::LoopbackRequestReader reader(conn, options_.max_header_bytes, options_.max_body_bytes);
    bool keep_going = conn.handshake() == Io::Ok;
    while (keep_going) {
      LoopbackRequest request;
      detail::ReadOutcome outcome = reader.next(request);
      if (outcome == detail::ReadOutcome::HeadTooLarge ||
          outcome == detail::ReadOutcome::BodyTooLarge || outcome == detail::ReadOutcome::Bad) {
        LoopbackResponse r =
            LoopbackResponse::text(outcome == detail::ReadOutcome::HeadTooLarge   ? 431
                                   : outcome == detail::ReadOutcome::BodyTooLarge ? 413
                                                                                  : 400,
                                   "rejected by loopback server\n");
        if (conn.write_all(response_head(r, true) + r.body) == Io::Ok) conn.linger();
        break;
      }
      if (outcome != detail::ReadOutcome::Ok) break;
      request.connection_id = worker->connection_id;
      Handler handler = current_handler();
      record(request);
      LoopbackResponse r;
      try {
        r = handler ? handler(request) : LoopbackResponse::text(404, "no handler\n");
      } catch (const std::exception& e) {
        // A throwing handler is a test bug; answer 500 so the test fails visibly, not abort().
        r = LoopbackResponse::text(500, std::string("loopback handler threw: ") + e.what());
      }

      if (conn.sleep_for(r.delay) != Io::Ok) break;
      if (r.action == LoopbackAction::Close) break;
      if (r.action == LoopbackAction::Tunnel) {
        tunnel(conn, request.target);
        break;
      }
      if (r.action == LoopbackAction::Stall) {
        conn.hold();
        break;
      }
      auto connection = request.header("Connection");
      bool client_close =
          connection && ::strcasecmp(std::string(*connection).c_str(), "close") == 0;
      if (request.version == "HTTP/1.0") {
        client_close =
            !(connection && ::strcasecmp(std::string(*connection).c_str(), "keep-alive") == 0);
      }
      bool close = client_close || r.close_connection;
      if (r.raw) {
        // With slow_chunk_bytes the hand-made bytes themselves trickle out, head included.
        const std::size_t step = r.slow_chunk_bytes == 0 ? r.raw->size() : r.slow_chunk_bytes;
        std::string_view rest(*r.raw);
        Io io = Io::Ok;
        for (std::size_t piece = 1; !rest.empty() && io == Io::Ok; ++piece) {
          const std::size_t n = std::min(step, rest.size());
          io = conn.write_all(rest.substr(0, n));
          rest.remove_prefix(n);
          if (!rest.empty() && io == Io::Ok) io = conn.sleep_for(r.slow_interval);
          if (!rest.empty() && io == Io::Ok && r.before_piece) r.before_piece(piece);
        }
        if (io != Io::Ok) break;
        keep_going = !close;
        continue;
      }
      std::string head = response_head(r, close);
      if (r.action == LoopbackAction::PartialBodyThenClose ||
          r.action == LoopbackAction::PartialBodyThenStall) {
        std::string_view part(r.body);
        part = part.substr(0, std::min(r.partial_body_bytes, part.size()));
        if (conn.write_all(head + std::string(part)) != Io::Ok) break;
        if (r.action == LoopbackAction::PartialBodyThenStall) conn.hold();
        break;
      }
      if (r.slow_chunk_bytes == 0) {
        head += r.body;
        if (conn.write_all(head) != Io::Ok) break;
      } else {
        if (conn.write_all(head) != Io::Ok) break;
        std::string_view rest(r.body);
        Io io = Io::Ok;
        for (std::size_t piece = 1; !rest.empty() && io == Io::Ok; ++piece) {
          std::size_t n = std::min(r.slow_chunk_bytes, rest.size());
          io = conn.write_all(rest.substr(0, n));
          rest.remove_prefix(n);
          if (!rest.empty() && io == Io::Ok) io = conn.sleep_for(r.slow_interval);
          if (!rest.empty() && io == Io::Ok && r.before_piece) r.before_piece(piece);
        }
        if (io != Io::Ok) break;
      }
      keep_going = !close;
    }
  }
  active_connections_.fetch_sub(1);
  worker->done.store(true);
}

}  // namespace bedrock::testing
