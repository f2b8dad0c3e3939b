// How the asynchronous client waits for a point on its Clock (backoff, limiter, the deadline
// while credentials are fetched). The real one is a steady_timer; tests on a FakeClock use
// one that advances the fake time instead, so retry timing is exact and instant. Private.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "bedrock/core/clock.h"

namespace bedrock::runtime {

class AsyncWaiter {
 public:
  // A pending wait; cancel() makes sure its handler never runs.
  class Pending {
   public:
    virtual ~Pending() = default;
    virtual void cancel() = 0;
  };
  virtual ~AsyncWaiter() = default;
  // Runs `done` on the loop once `until` (on the client's Clock) has come; never inside this
  // call.
  virtual std::unique_ptr<Pending> wait_until(SteadyTime until, std::function<void()> done) = 0;
  // As wait_until, for a limit on something else the call waits for (credentials): a fake
  // clock that jumps to `until` would pass the limit before the awaited event could happen.
  virtual std::unique_ptr<Pending> watch_until(SteadyTime until, std::function<void()> done) {
    return wait_until(until, std::move(done));
  }
};

// A steady_timer armed for (until - clock.steady()).
std::shared_ptr<AsyncWaiter> make_timer_waiter(boost::asio::io_context& io, const Clock& clock);

}  // namespace bedrock::runtime
