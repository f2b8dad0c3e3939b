// The asynchronous HTTP seam: an exchange started on an io_context the caller owns, completed
// by a handler on that io_context. Same requests, responses, limits and errors as Transport
// (transport.h); no thread per exchange and nothing on the loop blocks.
#pragma once

#include <functional>
#include <memory>

#include "bedrock/core/result.h"
#include "bedrock/http/transport.h"

namespace bedrock::http {

// One exchange in flight. cancel() ends it with Cancelled as soon as the loop runs again
// (mid-connect, mid-send or mid-stream), releasing its connection; after completion it does
// nothing. Call it on the transport's io_context thread.
class AsyncExchange {
 public:
  virtual ~AsyncExchange() = default;
  virtual void cancel() = 0;
};

// Not thread-safe: start() and cancel() are called on the io_context's thread (post to it from
// elsewhere). The transport must outlive every exchange in flight.
class AsyncTransport {
 public:
  using Completion = std::function<void(Result<Response>)>;
  virtual ~AsyncTransport() = default;

  // Starts `request`. `done` runs exactly once, on the io_context's thread and never inside
  // start() itself. options.cancelled is not polled (use the handle); options.sink's callbacks
  // run on the loop thread. Deadlines and timeouts are loop timers.
  virtual std::shared_ptr<AsyncExchange> start(Request request, CallOptions options,
                                               Completion done) = 0;
};

}  // namespace bedrock::http
