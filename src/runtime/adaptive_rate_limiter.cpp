#include "bedrock/runtime/adaptive_rate_limiter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "bedrock/core/saturating_time.h"

namespace bedrock::runtime {
namespace {
// Longest single sleep while waiting for a token, so cancellation is noticed promptly.
constexpr double kWaitSliceSeconds = 0.05;
}  // namespace

AdaptiveRateLimiter::AdaptiveRateLimiter(const Clock& clock) : clock_(clock) {
  const double t = now();
  // RateClocker starts at floor(now) (whole seconds, as botocore does).
  last_bucket_ = std::floor(t);
  last_fail_ = t;  // CubicCalculator(starting_max_rate=0, start_time=now)
  w_max_ = 0;
  k_ = 0;
  set_max_rate_locked(1.0, t);  // TokenBucket(max_rate=1)
}

double AdaptiveRateLimiter::seconds(SteadyTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

double AdaptiveRateLimiter::now() const { return seconds(clock_.steady()); }

Duration AdaptiveRateLimiter::reserve(SteadyTime now) {
  std::lock_guard lock(mu_);
  if (!enabled_) return Duration::zero();
  // A caller's `now` read before another's refill must not drain the bucket backwards.
  refill_locked(std::max(seconds(now), last_refill_.value_or(0.0)));
  if (current_capacity_ >= 1) {
    current_capacity_ -= 1;
    return Duration::zero();
  }
  // Never zero: a wait that rounds to nothing would make the caller spin.
  return std::max(duration_from_seconds((1 - current_capacity_) / fill_rate_),
                  Duration(std::chrono::microseconds(1)));
}

void AdaptiveRateLimiter::refill_locked(double t) {
  if (!last_refill_) {
    last_refill_ = t;
    return;
  }
  const double fill = (t - *last_refill_) * fill_rate_;
  current_capacity_ = std::min(max_capacity_, current_capacity_ + fill);
  last_refill_ = t;
}

void AdaptiveRateLimiter::set_max_rate_locked(double value, double t) {
  refill_locked(t);
  fill_rate_ = std::max(value, kMinFillRate);
  max_capacity_ = value >= 1 ? value : 1;
  current_capacity_ = std::min(current_capacity_, max_capacity_);
}

Status AdaptiveRateLimiter::acquire(std::optional<SteadyTime> deadline,
                                    const std::atomic<bool>* cancelled) {
  for (;;) {
    double wait = 0;
    {
      std::lock_guard lock(mu_);
      if (!enabled_) return {};
      refill_locked(now());
      if (current_capacity_ >= 1) {
        current_capacity_ -= 1;
        return {};
      }
      wait = (1 - current_capacity_) / fill_rate_;
    }
    if (cancelled != nullptr && cancelled->load()) {
      return fail(ErrorCode::Cancelled, "cancelled while waiting for the adaptive rate limiter");
    }
    const Duration wait_d = duration_from_seconds(wait);
    if (deadline && saturating_add(clock_.steady(), wait_d) > *deadline) {
      return fail(ErrorCode::DeadlineExceeded,
                  fmt::format("client-side rate limit (adaptive retry mode) needs {:.3f} s "
                              "more than the deadline leaves",
                              wait));
    }
    clock_.sleep_for(std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(std::min(wait, kWaitSliceSeconds))));
  }
}

void AdaptiveRateLimiter::on_response(bool throttled) {
  std::lock_guard lock(mu_);
  const double t = now();
  // RateClocker.record()
  const double bucket = std::floor(t / kBucketSeconds) * kBucketSeconds;
  ++count_;
  if (bucket > last_bucket_) {
    const double current_rate = count_ / (bucket - last_bucket_);
    measured_rate_ = current_rate * kSmoothing + measured_rate_ * (1 - kSmoothing);
    count_ = 0;
    last_bucket_ = bucket;
  }
  double new_rate = 0;
  if (!throttled) {
    new_rate = kCubicScale * std::pow(t - last_fail_ - k_, 3) + w_max_;
  } else {
    const double rate_to_use = enabled_ ? std::min(measured_rate_, fill_rate_) : measured_rate_;
    w_max_ = rate_to_use;
    k_ = std::cbrt(w_max_ * (1 - kCubicBeta) / kCubicScale);
    last_fail_ = t;
    new_rate = rate_to_use * kCubicBeta;
    enabled_ = true;
  }
  set_max_rate_locked(std::min(new_rate, kMaxRateAdjustScale * measured_rate_), t);
}

bool AdaptiveRateLimiter::enabled() const {
  std::lock_guard lock(mu_);
  return enabled_;
}
double AdaptiveRateLimiter::max_rate() const {
  std::lock_guard lock(mu_);
  return fill_rate_;
}
double AdaptiveRateLimiter::measured_rate() const {
  std::lock_guard lock(mu_);
  return measured_rate_;
}
double AdaptiveRateLimiter::available_tokens() const {
  std::lock_guard lock(mu_);
  return current_capacity_;
}
double AdaptiveRateLimiter::capacity() const {
  std::lock_guard lock(mu_);
  return max_capacity_;
}

}  // namespace bedrock::runtime
