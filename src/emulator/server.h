// bedrock-emulator's network side: the Bedrock Runtime port and a separate admin port on the
// shared HTTP server (bedrock/net/server.h: one io_context per I/O thread, one session per
// connection, limits, drain). Latency is a timer per request, never a sleeping thread, so
// thousands of delayed requests cost no threads (reply_runner.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "auth_verifier.h"
#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"
#include "behavior.h"
#include "counters.h"
#include "fixtures.h"

namespace bedrock::emulator {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                // 0: pick a free port
  std::string admin_host = "127.0.0.1";  // never the data plane's host unless asked for
  std::string admin_token;  // non-empty: the admin port requires "Authorization: Bearer <it>"
  std::optional<std::uint16_t> admin_port;  // nullopt: no admin endpoint; 0: pick a free port
  int threads = 0;                          // I/O threads; 0: hardware concurrency
  // Accepting pauses at this many open connections and resumes when one closes.
  std::size_t max_connections = 16384;
  std::chrono::seconds idle_timeout{60};    // between requests, and to read one request
  std::chrono::seconds stall_timeout{600};  // longest a "stall" fault holds a connection
  std::size_t max_body_bytes = 25'000'000;  // Bedrock's InvokeModel body limit
  // Bodies being read (all connections together; read before authentication, which needs
  // the body). A request that would pass it is answered 503 without reading its body.
  std::size_t max_pending_body_bytes = 256u << 20;
  std::uint64_t seed = 0;  // 0: seeded from std::random_device
  AuthSettings auth;
  Fixtures fixtures;
};

class Emulator {
 public:
  explicit Emulator(ServerOptions options, const Clock& clock = system_clock());
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Configure before or after start(); thread-safe.
  Behavior& behavior();
  Counters& counters();

  // Binds both ports and starts the I/O threads. Errors: ConfigurationInvalid when a port
  // cannot be bound or the host is not an IP address.
  Status start();
  std::uint16_t port() const;
  std::optional<std::uint16_t> admin_port() const;
  // Number of currently open client connections (both ports).
  std::size_t open_connections() const;

  // Stops accepting, lets in-flight requests finish for up to `drain`, then closes every
  // connection and joins the threads. Idempotent.
  void stop(std::chrono::milliseconds drain = std::chrono::seconds(5));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bedrock::emulator
