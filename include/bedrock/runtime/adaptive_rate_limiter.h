// Adaptive retry mode's client-side rate limiter, constant for constant as botocore's
// retries/adaptive.py, bucket.py and throttling.py (docs/wire-protocol.md §6.4):
//   - token bucket, disabled until the first throttling answer; then every attempt takes one
//     token first. fill rate = max(max_rate, 0.5)/s, capacity = max_rate if >= 1 else 1;
//   - measured send rate in 0.5 s buckets, smoothed: rate = 0.8 * bucket_rate + 0.2 * previous;
//   - CUBIC (C = 0.4, beta = 0.7): on throttling w_max = rate used (measured, or
//     min(measured, max_rate) once enabled), K = cbrt(w_max * (1 - beta) / C), new rate =
//     rate_used * beta; on any other answer new rate = C * (t - last_fail - K)^3 + w_max;
//   - after each answer max_rate = min(new rate, 2 * measured rate).
// Thread-safe; share one per client. Time comes from the injected Clock (steady seconds).
#pragma once

#include <atomic>
#include <mutex>
#include <optional>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"

namespace bedrock::runtime {

class AdaptiveRateLimiter {
 public:
  static constexpr double kMinFillRate = 0.5;
  static constexpr double kSmoothing = 0.8;
  static constexpr double kBucketSeconds = 0.5;
  static constexpr double kCubicScale = 0.4;  // C
  static constexpr double kCubicBeta = 0.7;
  static constexpr double kMaxRateAdjustScale = 2.0;

  explicit AdaptiveRateLimiter(const Clock& clock);

  // Takes one token before an attempt (no-op until the first throttle). Waits on the clock
  // for the bucket to refill, in slices so `cancelled` is honoured. Errors: DeadlineExceeded
  // when the wait would pass `deadline` (returned at once, without waiting), Cancelled.
  Status acquire(std::optional<SteadyTime> deadline = std::nullopt,
                 const std::atomic<bool>* cancelled = nullptr);

  // The non-blocking form of acquire(): takes one token and returns zero, or takes nothing and
  // returns how long to wait before asking again. `now` is the Clock's steady time.
  Duration reserve(SteadyTime now);

  // Called after every HTTP answer or transport failure of an attempt.
  void on_response(bool throttled);

  // Introspection for tests and metrics.
  bool enabled() const;
  double max_rate() const;  // the bucket's fill rate (tokens/s)
  double measured_rate() const;
  double available_tokens() const;
  double capacity() const;

 private:
  double now() const;
  static double seconds(SteadyTime t);
  void refill_locked(double t);
  void set_max_rate_locked(double value, double t);

  const Clock& clock_;
  mutable std::mutex mu_;
  bool enabled_ = false;
  // Token bucket.
  double fill_rate_ = 0;
  double max_capacity_ = 0;
  double current_capacity_ = 0;
  std::optional<double> last_refill_;
  // Rate clocker.
  double measured_rate_ = 0;
  double last_bucket_ = 0;
  int count_ = 0;
  // CUBIC.
  double w_max_ = 0;
  double k_ = 0;
  double last_fail_ = 0;
};

}  // namespace bedrock::runtime
