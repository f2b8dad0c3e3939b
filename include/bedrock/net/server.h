// The HTTP/1.1 server every program in the tree uses (the emulator, the content service):
// Boost.Beast on Asio, one io_context per I/O thread, one session per connection with one
// watchdog timer, keep-alive, a cap on connections per listener, request limits checked
// before bytes are read, and drain. Handlers answer through a Responder (responder.h), now or
// later; the next request on a connection is read only after the answer is written.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/net/http_types.h"
#include "bedrock/net/responder.h"

namespace bedrock::net {

// Answers the server writes itself, never reaching a handler.
enum class Refusal {
  BodyTooLarge,     // Content-Length (or a chunked body) over max_body_bytes; 413
  HeadersTooLarge,  // request head over max_header_bytes; 431
  Busy,             // bodies being read by all connections would pass max_pending_body_bytes; 503
  Unanswered,       // the handler dropped its Responder (or threw); 500
};

struct ServerOptions {
  int threads = 0;  // I/O threads; 0: hardware concurrency
  // The longest an idle I/O thread keeps polling its sockets before it sleeps. 0: it sleeps at
  // once. A sleeping thread's wake-up costs tens of microseconds on a virtual machine (the vCPU
  // halts); a proxy waiting for its upstream's answer, or for a keep-alive client's next
  // request, saves two of those per request by polling a little. The window adapts per thread
  // (as Linux's haltpoll governor does): it starts at zero, grows while idle spells end within
  // this limit, and shrinks to zero when they outlast it, so polling costs CPU only while it
  // catches events.
  std::chrono::microseconds busy_poll{0};
  std::size_t max_header_bytes = 8192;
  // Checked against Content-Length before the body is read (a chunked body: as it arrives).
  std::size_t max_body_bytes = 25'000'000;
  // All connections' bodies being read at once; a request that would pass it is refused
  // without reading its body (bodies are held in memory).
  std::size_t max_pending_body_bytes = 256u << 20;
  // From the start of a request's read: a client that has sent part of the head must finish
  // it within header_timeout; one that sends nothing is closed after idle_timeout (the
  // keep-alive idle limit). A body must keep arriving: idle_timeout from the end of the head.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // Unsent bytes a ChunkedStream may hold before write() says the peer is slow.
  std::size_t max_stream_queue_bytes = 1u << 20;
  // The refusals' responses; empty: default_refusal (JSON {"error", "code"}).
  std::function<HttpResponse(Refusal)> refusal;
};

// {"error": "<sentence>", "code": "<name>"} with the refusal's status.
HttpResponse default_refusal(Refusal refusal, const ServerOptions& options);

// Called on an I/O thread for every request. `request` is valid during the call only (move
// from it to keep it). An exception thrown by a handler is logged and answered as Unanswered.
using Handler = std::function<void(HttpRequest& request, Responder responder)>;

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // stop(0)
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds a listener (before start()). Accepting pauses at `max_connections` open
  // connections on it and resumes when one closes. Returns the bound port (`port` 0: a free
  // one). Errors: ConfigurationInvalid when `host` is not an IP address or cannot be bound.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port, Handler handler,
                               std::size_t max_connections = 16384);

  // Starts accepting on every listener and runs the I/O threads.
  void start();

  // The I/O threads' loops, one per thread, alive until the Server is destroyed (they run from
  // start() to stop()). Work a handler starts on its own thread's loop (an upstream client
  // bound to it, a timer) finishes there: no hand-off to another thread and back.
  std::vector<boost::asio::io_context*> io_contexts() const;

  // Each I/O thread's busy-poll window as it stands (ServerOptions::busy_poll): zero while
  // polling would not catch the thread's next event.
  std::vector<std::chrono::microseconds> poll_windows() const;

  std::size_t open_connections() const;  // all listeners
  std::size_t in_flight() const;         // requests read and not yet completely answered

  // Drain: stops accepting, lets in-flight requests and streams finish for up to `grace`
  // (no new request is read meanwhile), then closes every connection (streams still open see
  // their on_cancel) and joins the threads. Idempotent; blocks the caller up to `grace`.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bedrock::net
