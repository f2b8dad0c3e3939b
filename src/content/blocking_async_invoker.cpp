#include "bedrock/content/blocking_async_invoker.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace bedrock::content {
namespace {

// Shared by the waiting thread and the client's callbacks, which may outlive the wait (a call
// the waiter gave up on still ends on the loop later).
struct Pending {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<models::StreamEvent> events;
  std::optional<Result<runtime::InvokeResult>> result;
};

}  // namespace

BlockingAsyncInvoker::BlockingAsyncInvoker(runtime::AsyncBedrockClient& client,
                                           std::chrono::milliseconds max_wait,
                                           const std::atomic<bool>* closing,
                                           std::function<bool()> on_loop,
                                           std::chrono::milliseconds poll,
                                           std::chrono::milliseconds grace)
    : client_(client),
      max_wait_(max_wait),
      closing_(closing),
      on_loop_(std::move(on_loop)),
      poll_(poll),
      grace_(grace) {}

Result<runtime::InvokeResult> BlockingAsyncInvoker::invoke(const runtime::InvokeRequest& request) {
  return run(request, nullptr);
}

Result<runtime::InvokeResult> BlockingAsyncInvoker::invoke_stream(
    const runtime::InvokeRequest& request, const runtime::StreamCallback& on_event) {
  return run(request, &on_event);
}

Result<runtime::InvokeResult> BlockingAsyncInvoker::run(const runtime::InvokeRequest& request,
                                                        const runtime::StreamCallback* on_event) {
  if (on_loop_ && on_loop_()) {
    return fail(ErrorCode::ConfigurationInvalid,
                "a blocking model call was made on the client's own loop thread");
  }
  auto stop_requested = [&] {
    return (request.cancelled != nullptr && request.cancelled->load()) ||
           (closing_ != nullptr && closing_->load());
  };
  if (stop_requested()) return fail(ErrorCode::Cancelled, "cancelled before the model call");
  auto pending = std::make_shared<Pending>();
  auto done = [pending](Result<runtime::InvokeResult> r) {
    std::lock_guard lock(pending->mu);
    pending->result = std::move(r);
    pending->cv.notify_all();
  };
  runtime::CallHandle handle;
  if (on_event == nullptr) {
    handle = client_.invoke(request, std::move(done));
  } else {
    handle = client_.invoke_stream(
        request,
        [pending](const models::StreamEvent& event) {
          std::lock_guard lock(pending->mu);
          pending->events.push_back(event);
          pending->cv.notify_all();
        },
        std::move(done));
  }
  const auto limit = request.timeout ? *request.timeout + grace_ : max_wait_;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  bool cancelled = false;
  std::chrono::steady_clock::time_point give_up{};
  std::unique_lock lock(pending->mu);
  for (;;) {
    pending->cv.wait_for(lock, poll_, [&] { return pending->result || !pending->events.empty(); });
    while (!pending->events.empty()) {
      models::StreamEvent event = std::move(pending->events.front());
      pending->events.pop_front();
      lock.unlock();
      (*on_event)(event);
      lock.lock();
    }
    if (pending->result && pending->events.empty()) return std::move(*pending->result);
    if (!cancelled && (stop_requested() || std::chrono::steady_clock::now() >= deadline)) {
      // The client ends the call with Cancelled (and its partial output) on its loop; wait for
      // that answer, but only for `grace` more.
      cancelled = true;
      give_up = std::chrono::steady_clock::now() + grace_;
      lock.unlock();
      handle.cancel();
      lock.lock();
    }
    if (cancelled && std::chrono::steady_clock::now() >= give_up) {
      return fail(ErrorCode::DeadlineExceeded,
                  "the model call did not end within its deadline after it was cancelled");
    }
  }
}

}  // namespace bedrock::content
