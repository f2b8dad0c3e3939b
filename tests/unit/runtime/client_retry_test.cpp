#include <gtest/gtest.h>

#include "bedrock/runtime/bedrock_client.h"
#include "client_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;
using std::chrono::milliseconds;

// Every scenario runs through the synchronous client and through AsyncBedrockClient.
class ClientRetry : public ::testing::TestWithParam<Driver> {};
class ClientFallback : public ::testing::TestWithParam<Driver> {};

InvokeRequest haiku_request(std::vector<std::string> fallbacks = {}) {
  InvokeRequest r;
  r.model_id = kHaiku;
  r.prompt = models::Prompt::from_user("hi");
  r.fallbacks = std::move(fallbacks);
  return r;
}

// Two throttles then success: three attempts, exact jittered sleeps (0.5 s, 1 s).
TEST_P(ClientRetry, ThrottlingResolvedByRetries) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(429, "{}", error_headers("ThrottlingException"));
  h.transport->push_response(429, "{}", error_headers("ThrottlingException"));
  h.transport->push_response(200, anthropic_body("ok"));
  auto r = h.invoke(haiku_request());
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.text, "ok");
  EXPECT_EQ(r->record.attempts, 3);
  EXPECT_EQ(h.elapsed(), milliseconds(1500));
  EXPECT_EQ(h.retry_quota().available(), 500 - 10 + 5);  // refund of the last cost
}

// Exhausting max attempts returns the last error and says why retrying stopped.
TEST_P(ClientRetry, MaxAttemptsThenError) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->set_default([](const http::Request&, const http::CallOptions&) {
    return Result<http::Response>(
        http::Response{503, error_headers("ServiceUnavailableException"), R"({"message":"down"})"});
  });
  auto r = h.invoke(haiku_request());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ServiceUnavailable);
  EXPECT_NE(r.error().message.find("max attempts (3) reached"), std::string::npos);
  EXPECT_EQ(h.transport->calls(), 3u);
}

struct NoRetryCase {
  int status;
  const char* type;
  ErrorCode code;
};

// Validation, access, not found, model timeout and model errors are never retried.
TEST_P(ClientRetry, NonRetryableErrorsSentOnce) {
  const NoRetryCase cases[] = {
      {400, "ValidationException", ErrorCode::Validation},
      {403, "AccessDeniedException", ErrorCode::AccessDenied},
      {404, "ResourceNotFoundException", ErrorCode::ResourceNotFound},
      {408, "ModelTimeoutException", ErrorCode::ModelTimeout},
      {400, "ServiceQuotaExceededException", ErrorCode::ServiceQuotaExceeded},
  };
  for (const auto& c : cases) {
    Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
    h.transport->push_response(c.status, R"({"message":"m"})", error_headers(c.type));
    auto r = h.invoke(haiku_request());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, c.code) << c.type;
    EXPECT_EQ(h.transport->calls(), 1u) << c.type;
  }
}

// Connection failures are retried like throttles.
TEST_P(ClientRetry, ConnectionFailuresRetried) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_error(ErrorCode::ConnectionFailed, "refused");
  h.transport->push_error(ErrorCode::ReadTimeout, "silence");
  h.transport->push_response(200, anthropic_body());
  auto r = h.invoke(haiku_request());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->record.attempts, 3);
  EXPECT_EQ(h.retry_quota().available(), 500 - 5 - 10 + 10);
}

// A backoff that would pass the deadline is not slept: DeadlineExceeded at once, naming the
// last error.
TEST_P(ClientRetry, DeadlineClipsBackoff) {
  Harness h(0.9, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->set_default([](const http::Request&, const http::CallOptions&) {
    return Result<http::Response>(
        http::Response{429, error_headers("ThrottlingException"), R"({"message":"slow down"})"});
  });
  InvokeRequest req = haiku_request();
  req.timeout = milliseconds(1500);
  auto r = h.invoke(req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_NE(r.error().message.find("Throttling: slow down"), std::string::npos);
  // First backoff 0.9 s fits in 1.5 s; the second (1.8 s) would not: no sleep for it.
  EXPECT_EQ(h.elapsed(), milliseconds(900));
  EXPECT_EQ(h.transport->calls(), 2u);
  ASSERT_EQ(h.sink->records.size(), 1u);
  EXPECT_EQ(h.sink->records[0].error_code, "DeadlineExceeded");
}

// A transfer the transport aborts at the deadline is reported as DeadlineExceeded without
// retrying.
TEST_P(ClientRetry, TransportDeadlineIsFinal) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_error(ErrorCode::DeadlineExceeded, "deadline");
  auto r = h.invoke(haiku_request());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_EQ(h.transport->calls(), 1u);
}

// Cancellation during backoff stops the call without another attempt.
TEST_P(ClientRetry, CancelledDuringBackoff) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  std::atomic<bool> cancelled{false};
  h.transport->push_handler([&](const http::Request&, const http::CallOptions& o) {
    EXPECT_EQ(o.cancelled, &cancelled);
    cancelled = true;
    return Result<http::Response>(http::Response{429, error_headers("ThrottlingException"), "{}"});
  });
  InvokeRequest req = haiku_request();
  req.cancelled = &cancelled;
  auto r = h.invoke(req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(h.transport->calls(), 1u);
}

// The shared quota runs dry under a failing service: later calls stop retrying.
TEST_P(ClientRetry, QuotaExhaustionAcrossCalls) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->set_default([](const http::Request&, const http::CallOptions&) {
    return Result<http::Response>(
        http::Response{500, error_headers("InternalServerException"), "{}"});
  });
  for (int i = 0; i < 50; ++i) ASSERT_FALSE(h.invoke(haiku_request()).has_value());
  EXPECT_EQ(h.transport->calls(), 150u);
  EXPECT_EQ(h.retry_quota().available(), 0);
  auto r = h.invoke(haiku_request());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("retry quota exhausted"), std::string::npos);
  EXPECT_EQ(h.transport->calls(), 151u);
}

// Adaptive mode: a throttle turns the client-side limiter on.
TEST_P(ClientRetry, AdaptiveLimiterEngagesOnThrottle) {
  Harness h(0.0, config::RetryMode::Adaptive, std::nullopt, GetParam());
  ASSERT_NE(h.rate_limiter(), nullptr);
  EXPECT_FALSE(h.rate_limiter()->enabled());
  h.transport->push_response(429, "{}", error_headers("ThrottlingException"));
  h.transport->push_response(200, anthropic_body());
  ASSERT_TRUE(h.invoke(haiku_request()).has_value());
  EXPECT_TRUE(h.rate_limiter()->enabled());
  // At t=0 the measured rate is 0: the bucket refills at the 0.5/s floor, so the retry
  // waited 2 s for its token.
  EXPECT_EQ(h.elapsed(), milliseconds(2000));
}

struct FallbackCase {
  int status;
  const char* type;
};

// Each fallback-worthy error moves to the next model, re-encoded for its family.
TEST_P(ClientFallback, FallsBackOnRecoverableErrors) {
  const FallbackCase cases[] = {
      {429, "ThrottlingException"},       {408, "ModelTimeoutException"},
      {429, "ModelNotReadyException"},    {503, "ServiceUnavailableException"},
      {404, "ResourceNotFoundException"}, {403, "AccessDeniedException"},
      {424, "ModelErrorException"},
  };
  for (const auto& c : cases) {
    Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
    const std::string type = c.type;
    const int status = c.status;
    h.transport->set_default([&](const http::Request& req, const http::CallOptions&) {
      if (req.url.find("anthropic") != std::string::npos) {
        return Result<http::Response>(
            http::Response{status, error_headers(type.c_str()), R"({"message":"no"})"});
      }
      return Result<http::Response>(http::Response{200, {}, llama_body()});
    });
    auto r = h.invoke(haiku_request({kLlama}));
    ASSERT_TRUE(r.has_value()) << c.type << ": " << describe(r.error());
    EXPECT_EQ(r->completion.text, "From llama") << c.type;
    EXPECT_EQ(r->record.model_requested, kHaiku);
    EXPECT_EQ(r->record.model_used, kLlama);
    ASSERT_EQ(r->record.skipped.size(), 1u);
    EXPECT_EQ(r->record.skipped[0].model_id, kHaiku);
    EXPECT_NE(r->record.skipped[0].reason.find(type.substr(0, 5)), std::string::npos)
        << r->record.skipped[0].reason;
    // Llama gets its own body: a prompt string, not Anthropic messages.
    auto last = h.transport->requests().back();
    EXPECT_NE(last.body.find("\"prompt\""), std::string::npos) << last.body;
    EXPECT_EQ(last.body.find("anthropic_version"), std::string::npos);
    EXPECT_EQ(r->record.input_tokens, 11);
  }
}

// Input errors never fall back.
TEST_P(ClientFallback, NeverOnValidation) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(400, R"({"message":"bad"})", error_headers("ValidationException"));
  auto r = h.invoke(haiku_request({kLlama}));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(h.transport->calls(), 1u);
}

// When every model fails, the last error is returned and the record lists the skipped ones.
TEST_P(ClientFallback, AllModelsFail) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->set_default([](const http::Request&, const http::CallOptions&) {
    return Result<http::Response>(
        http::Response{404, error_headers("ResourceNotFoundException"), R"({"message":"gone"})"});
  });
  auto r = h.invoke(haiku_request({kLlama}));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ResourceNotFound);
  ASSERT_EQ(h.sink->records.size(), 1u);
  EXPECT_EQ(h.sink->records[0].skipped.size(), 1u);
  EXPECT_EQ(h.sink->records[0].attempts, 2);
  EXPECT_EQ(h.transport->calls(), 2u);
}

// Retries happen per model before moving on; throttling after retries falls back.
TEST_P(ClientFallback, ThrottlingAfterRetriesFallsBack) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->set_default([](const http::Request& req, const http::CallOptions&) {
    if (req.url.find("anthropic") != std::string::npos) {
      return Result<http::Response>(
          http::Response{429, error_headers("ThrottlingException"), "{}"});
    }
    return Result<http::Response>(http::Response{200, {}, llama_body()});
  });
  auto r = h.invoke(haiku_request({kLlama}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->record.attempts, 4);  // 3 on Haiku, 1 on Llama
  EXPECT_EQ(r->record.attempt_log[2].model_id, kHaiku);
  EXPECT_EQ(r->record.attempt_log[3].model_id, kLlama);
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, ClientRetry, ::testing::Values(Driver::Sync, Driver::Async),
                         driver_name);
INSTANTIATE_TEST_SUITE_P(BothDrivers, ClientFallback,
                         ::testing::Values(Driver::Sync, Driver::Async), driver_name);

}  // namespace
}  // namespace bedrock::runtime
