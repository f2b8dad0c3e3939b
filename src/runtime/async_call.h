// One call of AsyncBedrockClient: the call machine driven by loop events. Private.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "async_waiter.h"
#include "bedrock/http/async_transport.h"
#include "bedrock/runtime/async_client.h"
#include "call_machine.h"

namespace bedrock::runtime {

// What every call of one asynchronous client shares; kept alive by the calls in flight.
// `state` (options, retry quota, limiter, profile memory) is shared with the client's siblings
// on other loops (AsyncBedrockClient::on_loop); the transport and the waiter are this loop's.
struct AsyncBedrockClient::Core {
  explicit Core(boost::asio::io_context& loop) : io(loop) {}
  boost::asio::io_context& io;
  std::shared_ptr<ClientState> state;
  std::shared_ptr<http::AsyncTransport> transport;
  std::shared_ptr<AsyncWaiter> waiter;
  // get_before() for calls that find no cached credentials: blocking work, off the loop.
  std::unique_ptr<boost::asio::thread_pool> credentials_pool;
};

// Lives until its Done handler has run. Every member is touched on the loop thread only,
// except the credentials fetch, which reads the shared (thread-safe) state on the pool thread.
class AsyncCall : public std::enable_shared_from_this<AsyncCall> {
 public:
  AsyncCall(std::shared_ptr<AsyncBedrockClient::Core> core, InvokeRequest request,
            std::optional<StreamCallback> on_event, AsyncBedrockClient::Done done);

  boost::asio::io_context& io() const { return core_->io; }

  // Loop thread only.
  void step();
  void cancel();
  // step() from within AsyncBedrockClient::start() on the loop thread: the call goes out with
  // no trip through the loop's queue, and a call that ends before start() returns has its Done
  // posted, so Done still never runs inside start().
  void step_from_start();

 private:
  void fetch_credentials(SteadyTime deadline);
  void finish();
  void run_done(AsyncBedrockClient::Done& done, Result<InvokeResult> result);

  std::shared_ptr<AsyncBedrockClient::Core> core_;
  InvokeRequest request_;
  std::optional<StreamCallback> on_event_;
  AsyncBedrockClient::Done done_;
  std::unique_ptr<CallMachine> machine_;

  // What the call is waiting for; `token_` changes whenever a wait ends, so a late completion
  // of an abandoned wait (timer, credentials) is recognised and ignored.
  std::uint64_t token_ = 0;
  std::shared_ptr<http::AsyncExchange> exchange_;
  std::unique_ptr<AsyncWaiter::Pending> timer_;
  bool awaiting_credentials_ = false;
  bool finished_ = false;
  bool inside_start_ = false;
};

}  // namespace bedrock::runtime
