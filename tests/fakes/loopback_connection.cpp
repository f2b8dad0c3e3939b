#include "fakes/loopback_connection.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace bedrock::testing::detail {

LoopbackConnection::LoopbackConnection(int fd, int stop_fd, SSL* ssl)
    : fd_(fd), stop_fd_(stop_fd), ssl_(ssl) {
  if (ssl_ != nullptr) SSL_set_fd(ssl_, fd_);
}

LoopbackConnection::~LoopbackConnection() {
  if (ssl_ != nullptr) {
    // A quiet shutdown: no close_notify round trip with a peer that may be gone.
    SSL_set_quiet_shutdown(ssl_, 1);
    SSL_free(ssl_);
  }
  ::close(fd_);
}

Io LoopbackConnection::wait(Wait what, int timeout_ms) {
  pollfd fds[2] = {{fd_, static_cast<short>(what == Wait::Read ? POLLIN : POLLOUT), 0},
                   {stop_fd_, POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 2, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Io::Closed;
    if (fds[1].revents != 0) return Io::Stopped;
    return Io::Ok;  // ready, timed out, or POLLHUP/POLLERR: the next I/O call tells which
  }
}

Io LoopbackConnection::handshake() {
  if (ssl_ == nullptr) return Io::Ok;
  for (;;) {
    int rc = SSL_accept(ssl_);
    if (rc == 1) return Io::Ok;
    int err = SSL_get_error(ssl_, rc);
    ERR_clear_error();
    Io io = Io::Closed;
    if (err == SSL_ERROR_WANT_READ) io = wait(Wait::Read, -1);
    if (err == SSL_ERROR_WANT_WRITE) io = wait(Wait::Write, -1);
    if (io != Io::Ok) return io == Io::Stopped ? Io::Stopped : Io::Closed;
  }
}

Io LoopbackConnection::read_some(std::string& appended) {
  char buf[16384];
  for (;;) {
    if (ssl_ != nullptr) {
      int n = SSL_read(ssl_, buf, sizeof buf);
      if (n > 0) {
        appended.append(buf, static_cast<std::size_t>(n));
        return Io::Ok;
      }
      int err = SSL_get_error(ssl_, n);
      ERR_clear_error();
      Io io = Io::Closed;
      if (err == SSL_ERROR_WANT_READ) io = wait(Wait::Read, -1);
      if (err == SSL_ERROR_WANT_WRITE) io = wait(Wait::Write, -1);
      if (io != Io::Ok) return io;
      continue;
    }
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      appended.append(buf, static_cast<std::size_t>(n));
      return Io::Ok;
    }
    if (n == 0) return Io::Closed;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return Io::Closed;
    if (Io io = wait(Wait::Read, -1); io != Io::Ok) return io;
  }
}

Io LoopbackConnection::write_all(std::string_view data) {
  while (!data.empty()) {
    if (ssl_ != nullptr) {
      int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      int err = SSL_get_error(ssl_, n);
      ERR_clear_error();
      Io io = Io::Closed;
      if (err == SSL_ERROR_WANT_READ) io = wait(Wait::Read, -1);
      if (err == SSL_ERROR_WANT_WRITE) io = wait(Wait::Write, -1);
      if (io != Io::Ok) return io;
      continue;
    }
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (Io io = wait(Wait::Write, -1); io != Io::Ok) return io;
      continue;
    }
    return Io::Closed;
  }
  return Io::Ok;
}

Io LoopbackConnection::sleep_for(std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return Io::Ok;
  pollfd stop = {stop_fd_, POLLIN, 0};
  auto until = std::chrono::steady_clock::now() + duration;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Io::Ok;
    int n = ::poll(&stop, 1, static_cast<int>(left.count()) + 1);
    if (n > 0) return Io::Stopped;
    if (n < 0 && errno != EINTR) return Io::Ok;
  }
}

namespace {

// Writes all of `data` to non-blocking `fd`, waiting for writability (or stop) as needed.
Io send_all(int fd, int stop_fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd fds[2] = {{fd, POLLOUT, 0}, {stop_fd, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0 && errno != EINTR) return Io::Closed;
      if (fds[1].revents != 0) return Io::Stopped;
      continue;
    }
    return Io::Closed;
  }
  return Io::Ok;
}

}  // namespace

Io LoopbackConnection::relay(int upstream) {
  if (ssl_ != nullptr) return Io::Closed;
  char buf[16384];
  pollfd fds[3] = {{fd_, POLLIN, 0}, {upstream, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 3, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Io::Closed;
    if (fds[2].revents != 0) return Io::Stopped;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      ssize_t got = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (got == 0) return Io::Closed;
      if (got < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
        return Io::Closed;
      }
      Io io =
          send_all(fds[1 - i].fd, stop_fd_, std::string_view(buf, static_cast<std::size_t>(got)));
      if (io != Io::Ok) return io;
    }
  }
}

Io LoopbackConnection::hold() {
  std::string discard;
  for (;;) {
    discard.clear();
    Io io = read_some(discard);
    if (io != Io::Ok) return io;
  }
}

Io LoopbackConnection::linger() {
  if (ssl_ == nullptr) ::shutdown(fd_, SHUT_WR);
  return hold();
}

}  // namespace bedrock::testing::detail
