#include "runtime/retry_policy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "fakes/fixed_random.h"
#include "runtime/error_classifier.h"

namespace bedrock::runtime {
namespace {

using std::chrono::milliseconds;

Error throttled() {
  return classify_http_error(429, {{"x-amzn-ErrorType", "ThrottlingException"}}, "{}");
}
Error validation() {
  return classify_http_error(400, {{"x-amzn-ErrorType", "ValidationException"}}, "{}");
}

// Backoff is rand * min(2^(n-1), 20) seconds: exact values with a fixed draw.
TEST(RetryPolicy, BackoffValuesExact) {
  RetryPolicy p;
  EXPECT_EQ(RetryState::backoff(p, 1, 0.5), milliseconds(500));
  EXPECT_EQ(RetryState::backoff(p, 2, 0.5), milliseconds(1000));
  EXPECT_EQ(RetryState::backoff(p, 3, 0.5), milliseconds(2000));
  EXPECT_EQ(RetryState::backoff(p, 5, 0.25), milliseconds(4000));
  EXPECT_EQ(RetryState::backoff(p, 6, 0.5), milliseconds(10000));  // capped at 20 s
  EXPECT_EQ(RetryState::backoff(p, 30, 1.0), milliseconds(20000));
  EXPECT_EQ(RetryState::backoff(p, 1, 0.0), milliseconds(0));
  RetryPolicy legacy = RetryPolicy::for_mode(config::RetryMode::Legacy);
  EXPECT_EQ(RetryState::backoff(legacy, 6, 1.0), milliseconds(32000));  // no cap
}

// Three attempts by default: two retries with jittered delays, then "max attempts".
TEST(RetryPolicy, MaxAttemptsDefaultThree) {
  RetryPolicy p;
  RetryQuota quota;
  FixedRandom rnd(0.5);
  RetryState s(p, &quota, rnd);
  auto d1 = s.on_failure(throttled());
  ASSERT_TRUE(d1.retry);
  EXPECT_EQ(d1.delay, milliseconds(500));
  auto d2 = s.on_failure(throttled());
  ASSERT_TRUE(d2.retry);
  EXPECT_EQ(d2.delay, milliseconds(1000));
  auto d3 = s.on_failure(throttled());
  EXPECT_FALSE(d3.retry);
  EXPECT_NE(d3.reason.find("max attempts (3)"), std::string::npos);
  EXPECT_EQ(s.attempts(), 3);
  EXPECT_EQ(quota.available(), 490);
}

struct DecisionCase {
  int status;
  const char* type;
  bool retried;
};

// The retry decision per error, as §2.6 observed for boto3 standard mode.
TEST(RetryPolicy, DecisionPerErrorTable) {
  const DecisionCase cases[] = {
      {429, "ThrottlingException", true},     {503, "ServiceUnavailableException", true},
      {500, "InternalServerException", true}, {429, "ModelNotReadyException", true},
      {408, "ModelTimeoutException", false},  {424, "ModelErrorException", false},
      {400, "ValidationException", false},    {400, "ServiceQuotaExceededException", false},
      {403, "AccessDeniedException", false},  {404, "ResourceNotFoundException", false},
  };
  for (const auto& c : cases) {
    RetryPolicy p;
    RetryQuota quota;
    FixedRandom rnd(0.1);
    RetryState s(p, &quota, rnd);
    auto d = s.on_failure(classify_http_error(c.status, {{"x-amzn-ErrorType", c.type}}, "{}"));
    EXPECT_EQ(d.retry, c.retried) << c.type;
  }
  for (ErrorCode code :
       {ErrorCode::ConnectionFailed, ErrorCode::ReadTimeout, ErrorCode::ConnectionReset}) {
    RetryPolicy p;
    FixedRandom rnd(0.1);
    RetryState s(p, nullptr, rnd);
    EXPECT_TRUE(s.on_failure(classify_transport_error(Error::make(code, "x"))).retry)
        << to_string(code);
  }
}

// Legacy mode retries a bare 429 by status and allows five attempts.
TEST(RetryPolicy, LegacyRetriesByStatus) {
  RetryPolicy p = RetryPolicy::for_mode(config::RetryMode::Legacy);
  EXPECT_EQ(p.max_attempts, 5);
  FixedRandom rnd(0.5);
  RetryState s(p, nullptr, rnd);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(s.on_failure(classify_http_error(429, {}, "")).retry);
  EXPECT_FALSE(s.on_failure(classify_http_error(429, {}, "")).retry);
}

// Quota: 5 per retry, 10 per timeout retry; exhaustion stops retries with a reason.
TEST(RetryPolicy, QuotaExhaustion) {
  RetryPolicy p;
  p.max_attempts = 1000;
  RetryQuota quota(12);
  FixedRandom rnd(0.0);
  RetryState s(p, &quota, rnd);
  EXPECT_TRUE(
      s.on_failure(classify_transport_error(Error::make(ErrorCode::ReadTimeout, "x"))).retry);
  EXPECT_EQ(quota.available(), 2);
  auto d = s.on_failure(throttled());
  EXPECT_FALSE(d.retry);
  EXPECT_NE(d.reason.find("retry quota exhausted"), std::string::npos);
  EXPECT_EQ(quota.available(), 2);
}

// Refund: +1 when no retry was needed, the last retry's cost otherwise, capped at capacity.
TEST(RetryPolicy, QuotaRefund) {
  RetryPolicy p;
  RetryQuota quota;
  FixedRandom rnd(0.0);
  {
    RetryState s(p, &quota, rnd);
    ASSERT_TRUE(s.on_failure(throttled()).retry);
    ASSERT_TRUE(
        s.on_failure(classify_transport_error(Error::make(ErrorCode::ReadTimeout, "x"))).retry);
    EXPECT_EQ(quota.available(), 485);
    s.on_success();
    EXPECT_EQ(quota.available(), 495);  // last retry took 10
  }
  {
    RetryState s(p, &quota, rnd);
    s.on_success();
    EXPECT_EQ(quota.available(), 496);
  }
  RetryQuota full;
  RetryState s(p, &full, rnd);
  s.on_success();
  EXPECT_EQ(full.available(), 500);  // never above capacity
}

// Shared by every thread of a client: concurrent takes and refills never lose or invent
// capacity, never go below zero and never rise above the capacity.
TEST(RetryQuota, ConcurrentAcquireAndReleaseKeepTheBooks) {
  RetryQuota quota(1000);
  std::atomic<int> taken{0};
  std::atomic<bool> bad{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        const int amount = 1 + (i + t) % 10;
        if (quota.acquire(amount)) {
          taken += amount;
          if (i % 2 == 0) {
            quota.release(amount);
            taken -= amount;
          }
        }
        const int now = quota.available();
        if (now < 0 || now > quota.capacity()) bad = true;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_FALSE(bad.load());
  EXPECT_EQ(quota.available(), 1000 - taken.load());
  quota.release(5000);
  EXPECT_EQ(quota.available(), 1000);
  EXPECT_FALSE(quota.acquire(1001));
  EXPECT_EQ(quota.available(), 1000);
}

// Non-retryable errors give up at once and take no quota.
TEST(RetryPolicy, NonRetryableTakesNoQuota) {
  RetryPolicy p;
  RetryQuota quota;
  FixedRandom rnd(0.5);
  RetryState s(p, &quota, rnd);
  auto d = s.on_failure(validation());
  EXPECT_FALSE(d.retry);
  EXPECT_NE(d.reason.find("Validation is not retryable"), std::string::npos);
  EXPECT_EQ(quota.available(), 500);
}

// A backoff that would reach the deadline gives up immediately and refunds the quota.
TEST(RetryPolicy, DeadlineClipsBackoff) {
  RetryPolicy p;
  RetryQuota quota;
  FixedRandom rnd(0.5);
  RetryState s(p, &quota, rnd);
  auto ok = s.on_failure(throttled(), milliseconds(600));
  EXPECT_TRUE(ok.retry);  // 500 ms < 600 ms
  auto d = s.on_failure(throttled(), milliseconds(999));
  EXPECT_FALSE(d.retry);  // 1000 ms would pass it
  EXPECT_TRUE(d.deadline_exceeded);
  EXPECT_EQ(quota.available(), 495);  // only the first retry's 5 taken
}

}  // namespace
}  // namespace bedrock::runtime
