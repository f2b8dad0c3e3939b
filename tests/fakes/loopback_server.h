// A scriptable HTTP/1.1 server on 127.0.0.1 for integration tests of anything that speaks HTTP
// (the curl transport, credential endpoints, the runtime). Each test decides, per request, what
// the server does: answer normally, answer late, never answer, hang up, send part of the body,
// or trickle the body out slowly. Optionally serves HTTPS (see TlsIdentity).
//
//   bedrock::testing::LoopbackServer server([](const LoopbackRequest& req) {
//     return LoopbackResponse::text(200, "hello " + req.target);
//   });
//   ASSERT_TRUE(server.start());
//   http_get(server.url("/path"));            // "http://127.0.0.1:<port>/path"
//   EXPECT_EQ(server.requests_served(), 1u);
//
// Threading: one thread per accepted connection (at most Options::max_connections at once;
// extra connections are accepted and closed immediately). The handler runs on those threads,
// possibly concurrently, so it must be thread-safe (a handler that throws gets a 500 sent). Every
// wait inside the server (delays, stalls, slow bodies, blocked writes) wakes up promptly when
// stop() is called, so stop() and the destructor return quickly even while clients are stalled on
// us.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::testing {

using LoopbackHeaders = std::vector<std::pair<std::string, std::string>>;

// One request as the server received it.
struct LoopbackRequest {
  std::string method;
  std::string target;       // raw request target exactly as sent: "/a%2Fb?x=1" or an absolute URI
  std::string version;      // "HTTP/1.1"
  LoopbackHeaders headers;  // in arrival order, names as spelled by the client, values trimmed
  std::string body;         // de-chunked when the client used Transfer-Encoding: chunked
  std::uint64_t connection_id = 0;  // 1-based, in accept order: tells reused connections apart

  // Case-insensitive lookup of the first header with this name.
  std::optional<std::string_view> header(std::string_view name) const;
};

// What the server does with a request.
enum class LoopbackAction {
  Respond,               // send status line, headers and body (after `delay`, maybe slowly)
  Stall,                 // send nothing; hold the connection until the client or stop() ends it
  Close,                 // close the connection without sending anything
  PartialBodyThenClose,  // headers (full Content-Length) + `partial_body_bytes` of body, close
  PartialBodyThenStall,  // headers + `partial_body_bytes` of body, then send nothing more
  // CONNECT proxy: answer 200 and relay bytes to the request target, which must be a loopback
  // address ("127.0.0.1:<port>" or "localhost:<port>"; anything else gets a 403). Plain servers
  // only (not with Options::tls).
  Tunnel,
};

struct LoopbackResponse {
  LoopbackAction action = LoopbackAction::Respond;
  int status = 200;
  std::string reason;  // empty = the standard phrase for `status`
  LoopbackHeaders headers;
  std::string body;

  // Wait before sending anything (applies to every action).
  std::chrono::milliseconds delay{0};
  // Partial* actions: how many body bytes go out before the close/stall.
  std::size_t partial_body_bytes = 0;
  // Slow body: when slow_chunk_bytes > 0 the body is sent in chunks of that size with
  // slow_interval between chunks (headers go out at once; with `raw`, the raw bytes are
  // chunked, head included).
  std::size_t slow_chunk_bytes = 0;
  std::chrono::milliseconds slow_interval{0};
  // Slow body (or slow raw bytes): called on the server's thread before each piece after the
  // first, with the piece's index, after slow_interval. Lets a test hold the rest of a response
  // until the client has seen what came so far; it must bound its own wait.
  std::function<void(std::size_t)> before_piece;
  // Send "Connection: close" and close after this response even if the client wants keep-alive.
  bool close_connection = false;
  // Add Content-Length automatically (unless the handler set one itself).
  bool add_content_length = true;
  // Respond: when set, these exact bytes are sent instead of a built status line, headers and
  // body (for malformed or hand-crafted responses); status/headers/body are then ignored.
  std::optional<std::string> raw;

  // Helpers for the common cases.
  static LoopbackResponse text(int status, std::string body, LoopbackHeaders headers = {});
  static LoopbackResponse json(int status, std::string body, LoopbackHeaders headers = {});
  static LoopbackResponse stall();
  static LoopbackResponse tunnel();  // for CONNECT requests, see LoopbackAction::Tunnel
  static LoopbackResponse close();
  static LoopbackResponse partial_then_close(std::string full_body, std::size_t sent_bytes);
  static LoopbackResponse partial_then_stall(std::string full_body, std::size_t sent_bytes);
  static LoopbackResponse delayed(std::chrono::milliseconds delay, LoopbackResponse response);
  static LoopbackResponse slow(std::string body, std::size_t chunk_bytes,
                               std::chrono::milliseconds interval);
};

// PEM-encoded certificate chain and private key for serving HTTPS.
struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
};

class LoopbackServer {
 public:
  using Handler = std::function<LoopbackResponse(const LoopbackRequest&)>;

  struct Options {
    std::size_t max_connections = 256;              // concurrent connection threads
    std::size_t max_header_bytes = 64 * 1024;       // larger request heads get a 431 and a close
    std::size_t max_body_bytes = 64 * 1024 * 1024;  // larger bodies get a 413 and a close
    std::optional<TlsIdentity> tls;                 // set = HTTPS only
  };

  explicit LoopbackServer(Handler handler);
  LoopbackServer(Handler handler, Options options);
  ~LoopbackServer();  // stop()
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // Binds 127.0.0.1 on an ephemeral port and starts accepting. Fails with ConnectionFailed
  // (socket errors) or ConfigurationInvalid (bad TLS identity). Call once.
  Status start();
  // Closes the listener and every connection, and joins every thread. Idempotent.
  void stop();

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>" + path ("https://" when serving TLS).
  std::string url(std::string_view path = "/") const;

  // Replaces the handler; requests already being handled keep the old one.
  void set_handler(Handler handler);

  std::size_t connections_accepted() const { return connections_accepted_.load(); }
  std::size_t requests_served() const { return requests_served_.load(); }  // handler calls
  std::size_t active_connections() const { return active_connections_.load(); }
  std::vector<LoopbackRequest> requests() const;  // every request received, in handler order

  // Blocks until at least `count` requests reached the handler or `timeout` passed; returns
  // whether the count was reached. Lets a test act "while the server is stalling".
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Worker;
  struct TlsContext;
  class Connection;

  void accept_loop();
  void serve(Worker* worker, int fd);
  void reap_finished_workers();
  Handler current_handler() const;
  void record(const LoopbackRequest& request);

  Options options_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  Handler handler_;
  std::vector<LoopbackRequest> log_;
  std::list<std::unique_ptr<Worker>> workers_;

  std::unique_ptr<TlsContext> tls_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};  // written once by stop(); every poll() watches the read end
  std::uint16_t port_ = 0;
  std::thread acceptor_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_accepted_{0};
  std::atomic<std::size_t> requests_served_{0};
  std::atomic<std::size_t> active_connections_{0};
};

}  // namespace bedrock::testing
