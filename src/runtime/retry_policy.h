// Retry as the AWS SDKs do it, split as Envoy splits it: an immutable RetryPolicy and a
// per-call RetryState that answers each failure with "retry after X" or "give up, because".
// The synchronous client sleeps on the answer; nothing here sleeps or reads a clock.
//
// Standard mode (default; docs/wire-protocol.md §6.3, botocore retries/standard.py):
//   - retry iff attempts < max_attempts (3 total by default) and the Error is retryable
//     (error_classifier.h decides that once) and the RetryQuota grants the retry cost;
//   - delay after failed attempt n (1-based) = rand[0,1) * min(base * 2^(n-1), max_backoff),
//     base 1 s, max_backoff 20 s ("full jitter");
//   - quota cost 5 per retry, 10 when the failure was a connect/read timeout; on success the
//     quota gets back 1 if the call needed no retry, else what the last retry took.
// Adaptive mode: standard plus the client-side AdaptiveRateLimiter (adaptive_rate_limiter.h).
// Legacy mode (botocore's current default, kept for AWS_RETRY_MODE=legacy parity): 5 attempts,
// delay rand * 2^(n-1) uncapped, status 429/500/502/503/504/509 retried, no quota.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bedrock/config/client_config.h"
#include "bedrock/core/clock.h"
#include "bedrock/core/error.h"
#include "bedrock/core/random.h"
#include "bedrock/runtime/retry_quota.h"

namespace bedrock::runtime {

struct RetryPolicy {
  config::RetryMode mode = config::RetryMode::Standard;
  int max_attempts = 3;  // total, including the first; >= 1
  std::chrono::milliseconds base{1000};
  std::optional<std::chrono::milliseconds> max_backoff = std::chrono::milliseconds{20000};
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int no_retry_increment = 1;
  bool use_quota = true;

  // The constants of `mode` (legacy: 5 attempts, no cap, no quota) with `max_attempts` when
  // given (values < 1 are treated as 1).
  static RetryPolicy for_mode(config::RetryMode mode, std::optional<int> max_attempts = {});
};

struct RetryDecision {
  bool retry = false;
  Duration delay{0};   // sleep this long before the next attempt (retry == true)
  std::string reason;  // why we gave up (retry == false): "not retryable", ...
  // Set when giving up because the backoff would pass the caller's deadline.
  bool deadline_exceeded = false;
};

// One per call; not thread-safe (a call runs on one thread). The quota, when given, is
// shared and must outlive the state.
class RetryState {
 public:
  RetryState(const RetryPolicy& policy, RetryQuota* quota, Random& random)
      : policy_(policy), quota_(quota), random_(random) {}

  // Called after each failed attempt. `time_left` is what remains of the call's deadline
  // (nullopt: none); a backoff longer than that gives up at once (deadline_exceeded) and
  // returns the quota it took.
  RetryDecision on_failure(const Error& error, std::optional<Duration> time_left = std::nullopt);

  // Called once when an attempt got a 2xx answer: refunds the quota (see above).
  void on_success();

  int attempts() const { return attempts_; }

  // Backoff before retry number `failed_attempt` (1-based) for a uniform draw `u`.
  static Duration backoff(const RetryPolicy& policy, int failed_attempt, double u);

 private:
  bool should_retry(const Error& error) const;

  const RetryPolicy& policy_;
  RetryQuota* quota_;
  Random& random_;
  int attempts_ = 0;
  int last_cost_ = 0;  // quota taken by the most recent retry; 0 = no retry yet
};

}  // namespace bedrock::runtime
