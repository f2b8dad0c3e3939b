#include "bedrock/core/error.h"

#include <gtest/gtest.h>

#include "bedrock/core/result.h"

namespace bedrock {
namespace {

// Retryability defaults follow the AWS standard retry mode (docs/wire-protocol.md §2.6).
TEST(Error, DefaultRetryabilityMatchesStandardMode) {
  EXPECT_TRUE(Error::make(ErrorCode::Throttling, "x").retryable);
  EXPECT_TRUE(Error::make(ErrorCode::ServiceUnavailable, "x").retryable);
  EXPECT_TRUE(Error::make(ErrorCode::InternalServer, "x").retryable);
  EXPECT_TRUE(Error::make(ErrorCode::ModelNotReady, "x").retryable);
  EXPECT_TRUE(Error::make(ErrorCode::ConnectionFailed, "x").retryable);
  EXPECT_FALSE(Error::make(ErrorCode::ModelTimeout, "x").retryable);
  EXPECT_FALSE(Error::make(ErrorCode::ModelError, "x").retryable);
  EXPECT_FALSE(Error::make(ErrorCode::Validation, "x").retryable);
  EXPECT_FALSE(Error::make(ErrorCode::AccessDenied, "x").retryable);
  EXPECT_FALSE(Error::make(ErrorCode::ResourceNotFound, "x").retryable);
  // A full job queue is refused until it drains: the caller decides when to resubmit.
  EXPECT_FALSE(Error::make(ErrorCode::QueueFull, "x").retryable);
  EXPECT_EQ(to_string(ErrorCode::QueueFull), "QueueFull");
}

// describe() carries the status and request id so a support ticket has what AWS needs.
TEST(Error, DescribeIncludesStatusAndRequestId) {
  Error e = Error::make(ErrorCode::Throttling, "Too many requests");
  e.http_status = 429;
  e.request_id = "abc-123";
  EXPECT_EQ(describe(e), "Throttling: Too many requests (HTTP 429, request id abc-123)");
  EXPECT_EQ(describe(Error::make(ErrorCode::Cancelled, "stop")), "Cancelled: stop");
}

// Every code has its own name and a user sentence that does not leak the technical message.
TEST(Error, EveryCodeHasNameAndUserSentence) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::Unknown); ++i) {
    auto code = static_cast<ErrorCode>(i);
    Error e = Error::make(code, "SECRET-TECHNICAL-DETAIL");
    EXPECT_FALSE(to_string(code).empty());
    std::string sentence = user_message(e);
    EXPECT_GT(sentence.size(), 20u) << to_string(code);
    EXPECT_EQ(sentence.find("SECRET-TECHNICAL-DETAIL"), std::string::npos);
  }
  EXPECT_NE(user_message(Error::make(ErrorCode::CredentialsNotFound, "")).find("aws configure"),
            std::string::npos);
}

// fail() builds an unexpected Result with the code's defaults.
TEST(Result, FailCarriesError) {
  Result<int> r = fail(ErrorCode::Validation, "bad");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(r.error().message, "bad");
}

}  // namespace
}  // namespace bedrock
