#include "retry_policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "bedrock/core/saturating_time.h"
#include "error_classifier.h"

namespace bedrock::runtime {

RetryPolicy RetryPolicy::for_mode(config::RetryMode mode, std::optional<int> max_attempts) {
  RetryPolicy p;
  p.mode = mode;
  if (mode == config::RetryMode::Legacy) {
    // botocore _retry.json __default__: 5 attempts, rand * 2^(n-1) with no cap, no quota.
    p.max_attempts = 5;
    p.max_backoff.reset();
    p.use_quota = false;
  }
  if (max_attempts) p.max_attempts = std::max(1, *max_attempts);
  return p;
}

Duration RetryState::backoff(const RetryPolicy& policy, int failed_attempt, double u) {
  using Seconds = std::chrono::duration<double>;
  const double base = std::chrono::duration_cast<Seconds>(policy.base).count();
  double ceiling = base * std::ldexp(1.0, std::max(0, failed_attempt - 1));
  if (policy.max_backoff) {
    ceiling = std::min(ceiling, std::chrono::duration_cast<Seconds>(*policy.max_backoff).count());
  }
  u = std::clamp(u, 0.0, 1.0);
  // Legacy mode has no cap: with --max-attempts 100 the ceiling is 2^99 s, which a plain
  // duration_cast would wrap into a negative delay.
  return duration_from_seconds(u * ceiling);
}

bool RetryState::should_retry(const Error& error) const {
  if (error.retryable) return true;
  if (policy_.mode == config::RetryMode::Legacy) {
    // Legacy retries on these statuses whatever the error code.
    switch (error.http_status) {
      case 429:
      case 500:
      case 502:
      case 503:
      case 504:
      case 509:
        return true;
      default:
        break;
    }
  }
  return false;
}

RetryDecision RetryState::on_failure(const Error& error, std::optional<Duration> time_left) {
  ++attempts_;
  RetryDecision d;
  if (!should_retry(error)) {
    d.reason = fmt::format("{} is not retryable", to_string(error.code));
    return d;
  }
  if (attempts_ >= policy_.max_attempts) {
    d.reason = fmt::format("max attempts ({}) reached", policy_.max_attempts);
    return d;
  }
  int cost = 0;
  if (policy_.use_quota && quota_ != nullptr) {
    cost = is_timeout(error) ? policy_.timeout_retry_cost : policy_.retry_cost;
    if (!quota_->acquire(cost)) {
      d.reason =
          fmt::format("retry quota exhausted ({} left, {} needed)", quota_->available(), cost);
      return d;
    }
  }
  d.delay = backoff(policy_, attempts_, random_.uniform01());
  if (time_left && d.delay >= *time_left) {
    if (cost > 0) quota_->release(cost);
    d.delay = Duration{0};
    d.deadline_exceeded = true;
    d.reason = "the next backoff would pass the deadline";
    return d;
  }
  last_cost_ = cost;
  d.retry = true;
  return d;
}

void RetryState::on_success() {
  if (!policy_.use_quota || quota_ == nullptr) return;
  quota_->release(last_cost_ > 0 ? last_cost_ : policy_.no_retry_increment);
}

}  // namespace bedrock::runtime
