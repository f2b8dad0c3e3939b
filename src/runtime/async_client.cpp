#include "bedrock/runtime/async_client.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "async_call.h"
#include "async_client_internal.h"
#include "default_async_transport.h"

namespace bedrock::runtime {

void CallHandle::cancel() const {
  auto call = call_.lock();
  if (!call) return;
  boost::asio::io_context& io = call->io();
  boost::asio::post(io, [weak = call_] {
    if (auto c = weak.lock()) c->cancel();
  });
}

namespace {

// The parts of a client that belong to one loop: its transport (connections, sockets), its
// timers and the helper thread for credential fetches, which posts back to that loop.
Status attach_loop(AsyncBedrockClient::Core& core, std::shared_ptr<AsyncWaiter> waiter) {
  const ClientState& s = *core.state;
  core.transport = s.options.async_transport;
  if (!core.transport) {
    auto made = make_default_async_transport(core.io, s.options);
    if (!made) return fail(made.error());
    core.transport = std::move(*made);
  }
  core.waiter = waiter ? std::move(waiter) : make_timer_waiter(core.io, *s.clock);
  core.credentials_pool = std::make_unique<boost::asio::thread_pool>(1);
  return {};
}

}  // namespace

Result<std::unique_ptr<AsyncBedrockClient>> make_async_client(boost::asio::io_context& io,
                                                              ClientOptions options,
                                                              std::shared_ptr<AsyncWaiter> waiter) {
  auto core = std::make_shared<AsyncBedrockClient::Core>(io);
  core->state = std::make_shared<ClientState>();
  if (auto st = init_client_state(*core->state, std::move(options)); !st) return fail(st.error());
  if (auto st = attach_loop(*core, std::move(waiter)); !st) return fail(st.error());
  return std::unique_ptr<AsyncBedrockClient>(new AsyncBedrockClient(std::move(core)));
}

Result<std::unique_ptr<AsyncBedrockClient>> AsyncBedrockClient::on_loop(
    boost::asio::io_context& io) const {
  auto core = std::make_shared<Core>(io);
  core->state = core_->state;
  if (auto st = attach_loop(*core, nullptr); !st) return fail(st.error());
  return std::unique_ptr<AsyncBedrockClient>(new AsyncBedrockClient(std::move(core)));
}

Result<std::unique_ptr<AsyncBedrockClient>> AsyncBedrockClient::create(boost::asio::io_context& io,
                                                                       ClientOptions options) {
  return make_async_client(io, std::move(options), nullptr);
}

AsyncBedrockClient::AsyncBedrockClient(std::shared_ptr<Core> core) : core_(std::move(core)) {}
// A credentials fetch still running on the helper thread posts its answer to the io_context when
// it ends; waiting for it here (each is bounded by its call's deadline) keeps that post from
// reaching an io_context the owner destroys right after the client.
AsyncBedrockClient::~AsyncBedrockClient() { core_->credentials_pool->join(); }

const ClientOptions& AsyncBedrockClient::options() const { return core_->state->options; }
const RetryQuota& AsyncBedrockClient::retry_quota() const { return core_->state->quota; }
const AdaptiveRateLimiter* AsyncBedrockClient::rate_limiter() const {
  return core_->state->limiter.get();
}

CallHandle AsyncBedrockClient::start(InvokeRequest request, std::optional<StreamCallback> on_event,
                                     Done done) {
  auto call =
      std::make_shared<AsyncCall>(core_, std::move(request), std::move(on_event), std::move(done));
  // On the loop's own thread the call starts at once (a server handler calling Bedrock saves a
  // pass through the loop's queue and a poll of the reactor); from any other thread it is
  // posted, since everything the call touches belongs to the loop.
  if (core_->io.get_executor().running_in_this_thread()) {
    call->step_from_start();
  } else {
    boost::asio::post(core_->io, [call] { call->step(); });
  }
  return CallHandle(call);
}

CallHandle AsyncBedrockClient::invoke(InvokeRequest request, Done done) {
  return start(std::move(request), std::nullopt, std::move(done));
}

CallHandle AsyncBedrockClient::invoke_stream(InvokeRequest request, StreamCallback on_event,
                                             Done done) {
  return start(std::move(request), std::move(on_event), std::move(done));
}

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
boost::asio::awaitable<Result<InvokeResult>> AsyncBedrockClient::async_invoke(
    InvokeRequest request) {
  auto initiate = [this, request = std::move(request)](auto handler) mutable {
    // Asio's completion handlers are move-only; Done is a std::function.
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    invoke(std::move(request),
           [shared](Result<InvokeResult> result) { (*shared)(std::move(result)); });
  };
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                     void(Result<InvokeResult>)>(std::move(initiate),
                                                                 boost::asio::use_awaitable);
}
#endif

}  // namespace bedrock::runtime
