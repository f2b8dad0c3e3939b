// A runtime::Invoker over AsyncBedrockClient, for synchronous content code (map-reduce) run on
// worker threads of a program whose model calls all go through one asynchronous client: the
// call is sent on the client's loop and the calling thread waits for it, with a deadline.
//
// Never call it on the client's io_context thread: it would wait for a loop it is blocking
// (invoke() refuses with ConfigurationInvalid when it can tell, see `on_loop`).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

#include "bedrock/runtime/async_client.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::content {

class BlockingAsyncInvoker final : public runtime::Invoker {
 public:
  // `max_wait`: the longest a call may wait when its request has no timeout; with one, the
  // wait ends `grace` after it (the client normally ends the call at its deadline itself). On
  // the wait's end, or when request.cancelled or `closing` (optional, e.g. the program's stop
  // flag) is set, the call is cancelled through its handle; both are checked every `poll`.
  // `on_loop`, when set, tells whether the current thread is the client's loop thread. The
  // client (and `closing`) must outlive every call.
  BlockingAsyncInvoker(runtime::AsyncBedrockClient& client, std::chrono::milliseconds max_wait,
                       const std::atomic<bool>* closing = nullptr,
                       std::function<bool()> on_loop = {},
                       std::chrono::milliseconds poll = std::chrono::milliseconds(50),
                       std::chrono::milliseconds grace = std::chrono::seconds(2));

  // Errors: the client's; Cancelled (cancel flag, closing); DeadlineExceeded when the client
  // did not answer within the wait.
  Result<runtime::InvokeResult> invoke(const runtime::InvokeRequest& request) override;
  // Events are handed to `on_event` on the calling thread (queued by the loop, delivered by
  // the waiting thread), as the Invoker contract asks.
  Result<runtime::InvokeResult> invoke_stream(const runtime::InvokeRequest& request,
                                              const runtime::StreamCallback& on_event) override;

 private:
  Result<runtime::InvokeResult> run(const runtime::InvokeRequest& request,
                                    const runtime::StreamCallback* on_event);

  runtime::AsyncBedrockClient& client_;
  const std::chrono::milliseconds max_wait_;
  const std::atomic<bool>* closing_;
  const std::function<bool()> on_loop_;
  const std::chrono::milliseconds poll_;
  const std::chrono::milliseconds grace_;
};

}  // namespace bedrock::content
