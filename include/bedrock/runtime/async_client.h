// The asynchronous Bedrock Runtime client: the same calls as BedrockClient (retries, quota,
// adaptive limiter, deadline, per-attempt limit, fallbacks, records, streaming), run as events
// and timers on an io_context the caller owns. No thread per call, nothing on the loop blocks:
// sends go through http::AsyncTransport, backoff and limiter waits are timers, credentials come
// from CredentialsProvider::cached() or, when it has none, from get_before() on the client's one
// helper thread, posted back to the loop.
//
// Threading: invoke(), invoke_stream(), async_invoke() and CallHandle::cancel() may be called
// from any thread (from another thread they post to the loop; on the loop's thread a call
// starts at once). Done handlers and stream callbacks run on the loop thread, exactly once for
// Done, never inside invoke() itself; they must not throw (an
// exception is caught and logged). A call keeps what it needs alive, so the client may be
// destroyed while calls are in flight; the io_context must outlive every call. The destructor
// waits for credential fetches running on the helper thread (each bounded by its call's
// deadline); a call that needs credentials after that fails at its deadline.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
// clang-format off
#include <boost/asio/awaitable.hpp>
// clang-format on
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "bedrock/core/result.h"
#include "bedrock/runtime/adaptive_rate_limiter.h"
#include "bedrock/runtime/client_options.h"
#include "bedrock/runtime/invocation.h"
#include "bedrock/runtime/retry_quota.h"

namespace bedrock::runtime {

class AsyncCall;
class AsyncWaiter;
class AsyncBedrockClient;
Result<std::unique_ptr<AsyncBedrockClient>> make_async_client(boost::asio::io_context&,
                                                              ClientOptions,
                                                              std::shared_ptr<AsyncWaiter>);

// Cancels one call at any point (waiting for credentials, backing off, sending, mid-stream):
// the call ends with Cancelled (or, mid-stream, Cancelled with the partial output) and its
// connection is released. Does nothing once the call has finished. Cheap to copy.
class CallHandle {
 public:
  CallHandle() = default;
  void cancel() const;

 private:
  friend class AsyncBedrockClient;
  explicit CallHandle(std::weak_ptr<AsyncCall> call) : call_(std::move(call)) {}
  std::weak_ptr<AsyncCall> call_;
};

class AsyncBedrockClient {
 public:
  using Done = std::function<void(Result<InvokeResult>)>;

  // Errors: those of BedrockClient::create, and ConfigurationInvalid when no
  // options.async_transport is given and no default asynchronous engine is available.
  static Result<std::unique_ptr<AsyncBedrockClient>> create(boost::asio::io_context& io,
                                                            ClientOptions options);
  ~AsyncBedrockClient();
  AsyncBedrockClient(const AsyncBedrockClient&) = delete;
  AsyncBedrockClient& operator=(const AsyncBedrockClient&) = delete;

  // BedrockClient::invoke. request.cancelled is checked between steps (before each attempt,
  // after each wait); only the handle aborts an exchange or a wait already under way.
  CallHandle invoke(InvokeRequest request, Done done);
  // BedrockClient::invoke_stream; `on_event` runs on the loop thread.
  CallHandle invoke_stream(InvokeRequest request, StreamCallback on_event, Done done);
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
  // invoke() for coroutines: co_await client.async_invoke(request) on the client's io_context.
  // Only where Boost.Asio enables co_await: Boost 1.74 does for GCC 10+ but not for clang with
  // libstdc++ (it looks for <experimental/coroutine>), so a clang build has the handler form.
  boost::asio::awaitable<Result<InvokeResult>> async_invoke(InvokeRequest request);
#endif

  // A client on another io_context that shares this one's options, retry quota, adaptive
  // limiter and profile memory (so the budgets stay one), with its own connections, timers and
  // credentials helper thread. For servers with one loop per I/O thread: each thread calls
  // through its own loop's client, and a request never changes threads on its way to Bedrock and
  // back. An options.async_transport given at create() is shared by every sibling, so it must
  // accept calls from each of their loops. Errors: those of create().
  Result<std::unique_ptr<AsyncBedrockClient>> on_loop(boost::asio::io_context& io) const;

  const ClientOptions& options() const;
  const RetryQuota& retry_quota() const;
  const AdaptiveRateLimiter* rate_limiter() const;  // nullptr unless adaptive

  struct Core;

 private:
  friend Result<std::unique_ptr<AsyncBedrockClient>> make_async_client(
      boost::asio::io_context&, ClientOptions, std::shared_ptr<AsyncWaiter>);
  explicit AsyncBedrockClient(std::shared_ptr<Core> core);
  CallHandle start(InvokeRequest request, std::optional<StreamCallback> on_event, Done done);
  std::shared_ptr<Core> core_;
};

}  // namespace bedrock::runtime
