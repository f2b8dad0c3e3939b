#include "server/http_error.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bedrock::server {
namespace {

// Each library error code lands on the status the issue names; nothing maps to 500.
TEST(FromError, MapsCodesToStatuses) {
  const std::pair<ErrorCode, unsigned> cases[] = {
      {ErrorCode::Validation, 400},
      {ErrorCode::ConfigurationInvalid, 400},
      {ErrorCode::ResourceNotFound, 404},
      {ErrorCode::InputTooLong, 422},
      {ErrorCode::Throttling, 429},
      {ErrorCode::ModelNotReady, 429},
      {ErrorCode::ServiceQuotaExceeded, 429},
      {ErrorCode::DeadlineExceeded, 504},
      {ErrorCode::ModelTimeout, 504},
      {ErrorCode::ReadTimeout, 504},
      {ErrorCode::ServiceUnavailable, 502},
      {ErrorCode::InternalServer, 502},
      {ErrorCode::AccessDenied, 502},
      {ErrorCode::CredentialsNotFound, 502},
      {ErrorCode::ConnectionFailed, 502},
      {ErrorCode::ModelStreamError, 502},
      {ErrorCode::InvalidResponse, 502},
      {ErrorCode::Unknown, 502},
      {ErrorCode::Cancelled, 503},
      {ErrorCode::QueueFull, 503},
  };
  for (const auto& [code, status] : cases) {
    const HttpError e = from_error(Error::make(code, "secret upstream detail"));
    EXPECT_EQ(e.status, status) << to_string(code);
    EXPECT_EQ(e.code, to_string(code));
    EXPECT_EQ(e.message.find("secret"), std::string::npos) << "upstream text leaked";
  }
}

// A throttled upstream answer carries Retry-After; a 502 does not.
TEST(FromError, ThrottlingCarriesRetryAfter) {
  const HttpError e = from_error(Error::make(ErrorCode::Throttling, "x"), std::chrono::seconds(7));
  ASSERT_TRUE(e.retry_after.has_value());
  EXPECT_EQ(e.retry_after->count(), 7);
  EXPECT_FALSE(from_error(Error::make(ErrorCode::InternalServer, "x")).retry_after.has_value());
  // A full job queue: retry once it drains.
  const HttpError full =
      from_error(Error::make(ErrorCode::QueueFull, "x"), std::chrono::seconds(3));
  ASSERT_TRUE(full.retry_after.has_value());
  EXPECT_EQ(full.retry_after->count(), 3);
}

// Our style: error sentence, code, request id (and the field for a 400).
TEST(ErrorResponse, ContentStyleBody) {
  auto r = error_response(bad_field("text", "The field 'text' is required."), ErrorStyle::Content,
                          "req-1");
  EXPECT_EQ(r.result_int(), 400u);
  EXPECT_EQ(r["x-request-id"], "req-1");
  EXPECT_EQ(r[boost::beast::http::field::content_type], "application/json");
  auto body = nlohmann::json::parse(r.body());
  EXPECT_EQ(body["error"], "The field 'text' is required.");
  EXPECT_EQ(body["code"], "Validation");
  EXPECT_EQ(body["request_id"], "req-1");
  EXPECT_EQ(body["field"], "text");
}

// OpenAI's style: {"error": {message, type, param, code}}.
TEST(ErrorResponse, OpenAIStyleBody) {
  auto r = error_response(bad_field("n", "n must be 1."), ErrorStyle::OpenAI, "req-2");
  auto body = nlohmann::json::parse(r.body());
  EXPECT_EQ(body["error"]["message"], "n must be 1.");
  EXPECT_EQ(body["error"]["type"], "invalid_request_error");
  EXPECT_EQ(body["error"]["param"], "n");
  EXPECT_EQ(body["error"]["code"], "Validation");
  auto auth =
      nlohmann::json::parse(error_body(unauthorized("No key."), ErrorStyle::OpenAI, "req-3"));
  EXPECT_EQ(auth["error"]["type"], "authentication_error");
  EXPECT_EQ(auth["error"]["code"], "invalid_api_key");
  EXPECT_TRUE(auth["error"]["param"].is_null());
}

// 405 sets Allow; 503 and 429 set Retry-After.
TEST(ErrorResponse, SetsAllowAndRetryAfter) {
  auto r405 = error_response(method_not_allowed("GET, POST"), ErrorStyle::Content, "a");
  EXPECT_EQ(r405.result_int(), 405u);
  EXPECT_EQ(r405[boost::beast::http::field::allow], "GET, POST");
  auto r503 = error_response(overloaded(std::chrono::seconds(2)), ErrorStyle::Content, "b");
  EXPECT_EQ(r503.result_int(), 503u);
  EXPECT_EQ(r503[boost::beast::http::field::retry_after], "2");
}

// A 404 for a hostile path echoes no control characters and at most 200 of its bytes.
TEST(ErrorResponse, NotFoundSanitisesPath) {
  const HttpError e = not_found(std::string("/a\r\nX-Injected: 1") + std::string(500, 'b'));
  EXPECT_EQ(e.message.find('\r'), std::string::npos);
  EXPECT_EQ(e.message.find('\n'), std::string::npos);
  EXPECT_LT(e.message.size(), 260u);
}

}  // namespace
}  // namespace bedrock::server
