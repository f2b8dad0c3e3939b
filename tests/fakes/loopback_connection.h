// Private to the loopback server: one accepted socket (optionally wrapped in TLS) whose every
// wait also watches the server's stop pipe, so no server thread can block past stop().
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace bedrock::testing::detail {

enum class Io {
  Ok,
  Closed,   // the peer closed (or reset) the connection
  Stopped,  // the server is stopping
};

class LoopbackConnection {
 public:
  // Takes ownership of `fd` (non-blocking) and `ssl` (may be null for plain TCP).
  LoopbackConnection(int fd, int stop_fd, SSL* ssl);
  ~LoopbackConnection();
  LoopbackConnection(const LoopbackConnection&) = delete;
  LoopbackConnection& operator=(const LoopbackConnection&) = delete;

  Io handshake();                       // TLS accept; no-op for plain TCP
  Io read_some(std::string& appended);  // appends at least one byte on Ok
  Io write_all(std::string_view data);
  Io sleep_for(std::chrono::milliseconds duration);  // Stopped if stop() came first
  Io hold();  // discards input until the peer closes or the server stops (never Ok)
  // Lingering close, as nginx does after refusing a request: half-closes (plain TCP) and
  // discards input until the peer closes or the server stops. Closing at once with unread input
  // makes the kernel send a reset that can destroy the answer just written.
  Io linger();
  // Copies bytes both ways between this (plain) connection and `upstream` (a connected
  // non-blocking socket, closed by the caller) until either side closes or the server stops.
  Io relay(int upstream);

 private:
  enum class Wait { Read, Write };
  Io wait(Wait what, int timeout_ms);

  int fd_;
  int stop_fd_;
  SSL* ssl_;
};

}  // namespace bedrock::testing::detail
