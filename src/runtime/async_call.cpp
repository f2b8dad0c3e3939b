#include "async_call.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <variant>

#include "bedrock/core/log.h"

namespace bedrock::runtime {
namespace {

class TimerWait final : public AsyncWaiter::Pending {
 public:
  explicit TimerWait(boost::asio::io_context& io) : timer_(io) {}
  void cancel() override {
    *cancelled_ = true;
    timer_.cancel();
  }
  boost::asio::steady_timer& timer() { return timer_; }
  std::shared_ptr<bool> flag() const { return cancelled_; }

 private:
  boost::asio::steady_timer timer_;
  std::shared_ptr<bool> cancelled_ = std::make_shared<bool>(false);
};

class TimerWaiter final : public AsyncWaiter {
 public:
  TimerWaiter(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  std::unique_ptr<Pending> wait_until(SteadyTime until, std::function<void()> done) override {
    auto wait = std::make_unique<TimerWait>(io_);
    const Duration left = until - clock_.steady();
    wait->timer().expires_after(left > Duration::zero() ? left : Duration::zero());
    wait->timer().async_wait(
        [flag = wait->flag(), done = std::move(done)](const boost::system::error_code&) {
          if (!*flag) done();
        });
    return wait;
  }

 private:
  boost::asio::io_context& io_;
  const Clock& clock_;
};

}  // namespace

std::shared_ptr<AsyncWaiter> make_timer_waiter(boost::asio::io_context& io, const Clock& clock) {
  return std::make_shared<TimerWaiter>(io, clock);
}

AsyncCall::AsyncCall(std::shared_ptr<AsyncBedrockClient::Core> core, InvokeRequest request,
                     std::optional<StreamCallback> on_event, AsyncBedrockClient::Done done)
    : core_(std::move(core)),
      request_(std::move(request)),
      on_event_(std::move(on_event)),
      done_(std::move(done)) {
  machine_ =
      std::make_unique<CallMachine>(*core_->state, request_, on_event_ ? &*on_event_ : nullptr);
}

void AsyncCall::step() {
  if (finished_) return;
  for (;;) {
    auto action = machine_->next();
    if (std::holds_alternative<CallMachine::Finished>(action)) return finish();
    if (auto* need = std::get_if<CallMachine::NeedCredentials>(&action)) {
      std::optional<auth::Credentials> cached;
      try {
        cached = core_->state->options.credentials->cached();
      } catch (...) {
        cached.reset();  // an application's provider that throws is asked with get_before()
      }
      if (cached) {
        machine_->on_credentials(std::move(*cached));
        continue;
      }
      return fetch_credentials(need->deadline);
    }
    if (auto* wait = std::get_if<CallMachine::Wait>(&action)) {
      const std::uint64_t token = ++token_;
      timer_ = core_->waiter->wait_until(wait->until, [self = shared_from_this(), token] {
        if (self->token_ != token || self->finished_) return;
        ++self->token_;
        self->timer_.reset();
        self->machine_->on_wait_over();
        self->step();
      });
      return;
    }
    if (auto* send = std::get_if<CallMachine::Send>(&action)) {
      if (!core_->transport) return;  // create() guarantees one
      exchange_ = core_->transport->start(*send->request, send->options,
                                          [self = shared_from_this()](Result<http::Response> r) {
                                            self->exchange_.reset();
                                            if (self->finished_) return;
                                            self->machine_->on_response(std::move(r));
                                            self->step();
                                          });
      return;
    }
  }
}

void AsyncCall::fetch_credentials(SteadyTime deadline) {
  awaiting_credentials_ = true;
  const std::uint64_t token = ++token_;
  // A provider that ignores its deadline must not hold the call past it.
  timer_ = core_->waiter->watch_until(deadline, [self = shared_from_this(), token] {
    if (self->token_ != token || self->finished_) return;
    ++self->token_;
    self->awaiting_credentials_ = false;
    self->timer_.reset();
    self->machine_->on_credentials(fail(
        ErrorCode::DeadlineExceeded, "the call's deadline passed while waiting for credentials"));
    self->step();
  });
  boost::asio::post(
      *core_->credentials_pool, [self = shared_from_this(), token, deadline]() mutable {
        Result<auth::Credentials> creds = credentials_before(*self->core_->state, deadline);
        boost::asio::io_context& io = self->core_->io;
        // The pool thread keeps no reference once the result is posted: the call (and the pool's
        // owner) are released on the loop.
        boost::asio::post(io, [self = std::move(self), token, creds = std::move(creds)]() mutable {
          if (self->token_ != token || self->finished_) return;
          ++self->token_;
          self->awaiting_credentials_ = false;
          if (self->timer_) self->timer_->cancel();
          self->timer_.reset();
          self->machine_->on_credentials(std::move(creds));
          self->step();
        });
      });
}

void AsyncCall::cancel() {
  if (finished_) return;
  machine_->cancel();
  if (exchange_) {
    exchange_->cancel();  // completes with Cancelled: the machine ends the call from there
    return;
  }
  if (timer_ || awaiting_credentials_) {
    ++token_;
    if (timer_) timer_->cancel();
    timer_.reset();
    if (awaiting_credentials_) {
      awaiting_credentials_ = false;
      machine_->on_credentials(fail(ErrorCode::Cancelled, "the call was cancelled"));
    } else {
      machine_->on_wait_over();
    }
    step();
  }
}

void AsyncCall::step_from_start() {
  inside_start_ = true;
  step();
  inside_start_ = false;
}

void AsyncCall::finish() {
  finished_ = true;
  auto result = machine_->take_invoke_result();
  auto done = std::move(done_);
  if (inside_start_) {
    boost::asio::post(core_->io, [self = shared_from_this(), done = std::move(done),
                                  result = std::move(result)]() mutable {
      self->run_done(done, std::move(result));
    });
    return;
  }
  run_done(done, std::move(result));
}

void AsyncCall::run_done(AsyncBedrockClient::Done& done, Result<InvokeResult> result) {
  try {
    if (done) done(std::move(result));
  } catch (const std::exception& e) {
    logger()->error("an AsyncBedrockClient completion handler threw: {}", e.what());
  } catch (...) {
    logger()->error("an AsyncBedrockClient completion handler threw");
  }
}

}  // namespace bedrock::runtime
