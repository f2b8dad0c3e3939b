#include "runtime/error_classifier.h"

#include <gtest/gtest.h>

namespace bedrock::runtime {
namespace {

constexpr const char* kCoral = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

// Header-only error type with the coral suffix, as real Bedrock sends it (§2.2).
TEST(ErrorClassifier, HeaderTypeWithCoralSuffix) {
  http::Headers h = {{"x-amzn-ErrorType", std::string("ThrottlingException") + kCoral},
                     {"x-amzn-RequestId", "a08a73eb"}};
  Error e = classify_http_error(429, h, R"({"message":"Too many requests"})");
  EXPECT_EQ(e.code, ErrorCode::Throttling);
  EXPECT_EQ(e.aws_type, "ThrottlingException");
  EXPECT_EQ(e.message, "Too many requests");
  EXPECT_EQ(e.request_id, "a08a73eb");
  EXPECT_EQ(e.http_status, 429);
  EXPECT_TRUE(e.retryable);
}

// "Input is too long" is a ValidationException on the wire but InputTooLong to callers, so a
// summarizer can switch to chunking; other validation errors stay Validation.
TEST(ErrorClassifier, InputTooLongIsItsOwnCode) {
  http::Headers h = {{"x-amzn-ErrorType", std::string("ValidationException") + kCoral}};
  Error e = classify_http_error(400, h, R"({"message":"Input is too long for requested model."})");
  EXPECT_EQ(e.code, ErrorCode::InputTooLong);
  EXPECT_EQ(e.aws_type, "ValidationException");
  EXPECT_FALSE(e.retryable);
  Error other = classify_http_error(400, h, R"({"message":"Malformed input request"})");
  EXPECT_EQ(other.code, ErrorCode::Validation);
}

// Header lookup is case-insensitive for both the type and the request id.
TEST(ErrorClassifier, HeaderNamesAreCaseInsensitive) {
  http::Headers h = {{"X-AMZN-ERRORTYPE", "AccessDeniedException"}, {"X-Amzn-Requestid", "rid-1"}};
  Error e = classify_http_error(403, h, R"({"message":"no"})");
  EXPECT_EQ(e.code, ErrorCode::AccessDenied);
  EXPECT_EQ(e.request_id, "rid-1");
  EXPECT_FALSE(e.retryable);
}

// Body-only __type with a namespace prefix.
TEST(ErrorClassifier, BodyTypeWithNamespace) {
  Error e = classify_http_error(
      400, {}, R"({"__type":"com.amazon.bedrock#ValidationException","message":"bad input"})");
  EXPECT_EQ(e.code, ErrorCode::Validation);
  EXPECT_EQ(e.aws_type, "ValidationException");
  EXPECT_EQ(e.message, "bad input");
  EXPECT_FALSE(e.retryable);
}

// The header overrides the body __type (step 4 overrides step 3).
TEST(ErrorClassifier, HeaderOverridesBodyType) {
  Error e = classify_http_error(503, {{"x-amzn-ErrorType", "ServiceUnavailableException"}},
                                R"({"__type":"ValidationException","message":"m"})");
  EXPECT_EQ(e.code, ErrorCode::ServiceUnavailable);
  EXPECT_TRUE(e.retryable);
}

// Body code / Code fields override __type when there is no header.
TEST(ErrorClassifier, BodyCodeFieldsOverrideType) {
  EXPECT_EQ(
      classify_http_error(404, {}, R"({"__type":"X","code":"ResourceNotFoundException"})").code,
      ErrorCode::ResourceNotFound);
  EXPECT_EQ(classify_http_error(403, {}, R"({"Code":"ExpiredTokenException","Message":"m"})").code,
            ErrorCode::ExpiredToken);
}

// Capitalised Message is read when message is absent; lower-case wins when both exist.
TEST(ErrorClassifier, MessageCapitalFallback) {
  http::Headers h = {{"x-amzn-ErrorType", "AccessDeniedException"}};
  EXPECT_EQ(classify_http_error(403, h, R"({"Message":"Capital"})").message, "Capital");
  EXPECT_EQ(classify_http_error(403, h, R"({"Message":"Capital","message":"lower"})").message,
            "lower");
}

// A non-JSON body becomes the message; the status picks the code.
TEST(ErrorClassifier, NonJsonBody) {
  Error e = classify_http_error(502, {}, "<html>Bad Gateway</html>");
  EXPECT_EQ(e.code, ErrorCode::ServiceUnavailable);
  EXPECT_EQ(e.message, "<html>Bad Gateway</html>");
  EXPECT_EQ(e.aws_type, "502");
  EXPECT_TRUE(e.retryable);
}

// ModelErrorException keeps its originalStatusCode.
TEST(ErrorClassifier, ModelErrorOriginalStatus) {
  Error e = classify_http_error(
      424, {{"x-amzn-ErrorType", "ModelErrorException"}},
      R"({"message":"Model returned an error","originalStatusCode":500,"resourceName":"arn:x"})");
  EXPECT_EQ(e.code, ErrorCode::ModelError);
  EXPECT_EQ(e.original_status, 500);
  EXPECT_FALSE(e.retryable);
  EXPECT_NE(e.message.find("Model returned an error"), std::string::npos);
}

struct ShapeCase {
  int status;
  const char* type;
  ErrorCode code;
  bool retryable;
  bool fallback;
};

// Every error shape of §2.1 and §2.5 maps to its code with standard-mode retryability (§2.6).
TEST(ErrorClassifier, EveryShapeTable) {
  const ShapeCase cases[] = {
      {400, "ValidationException", ErrorCode::Validation, false, false},
      {400, "ServiceQuotaExceededException", ErrorCode::ServiceQuotaExceeded, false, true},
      {403, "AccessDeniedException", ErrorCode::AccessDenied, false, true},
      {404, "ResourceNotFoundException", ErrorCode::ResourceNotFound, false, true},
      {408, "ModelTimeoutException", ErrorCode::ModelTimeout, false, true},
      {424, "ModelErrorException", ErrorCode::ModelError, false, true},
      {424, "ModelStreamErrorException", ErrorCode::ModelStreamError, false, false},
      {429, "ThrottlingException", ErrorCode::Throttling, true, true},
      {429, "ModelNotReadyException", ErrorCode::ModelNotReady, true, true},
      {500, "InternalServerException", ErrorCode::InternalServer, true, true},
      {503, "ServiceUnavailableException", ErrorCode::ServiceUnavailable, true, true},
      {403, "UnrecognizedClientException", ErrorCode::UnrecognizedClient, false, false},
      {403, "InvalidSignatureException", ErrorCode::InvalidSignature, false, false},
      {403, "ExpiredTokenException", ErrorCode::ExpiredToken, false, false},
      {403, "MissingAuthenticationTokenException", ErrorCode::MissingAuthentication, false, false},
      {400, "TooManyRequestsException", ErrorCode::Throttling, true, true},
      {400, "RequestTimeoutException", ErrorCode::Validation, true, false},
      {501, "SomethingNew", ErrorCode::InternalServer, false, true},
  };
  for (const auto& c : cases) {
    Error e = classify_http_error(c.status, {{"x-amzn-ErrorType", c.type}}, R"({"message":"m"})");
    EXPECT_EQ(e.code, c.code) << c.type;
    EXPECT_EQ(e.retryable, c.retryable) << c.type;
    EXPECT_EQ(is_fallback_worthy(e), c.fallback) << c.type;
  }
}

// Standard mode does not retry a bare 429 without a throttling name; 500 without one is
// retried because of its status.
TEST(ErrorClassifier, BareStatusRetryability) {
  EXPECT_FALSE(classify_http_error(429, {}, "").retryable);
  EXPECT_EQ(classify_http_error(429, {}, "").code, ErrorCode::Throttling);
  EXPECT_TRUE(classify_http_error(500, {}, "").retryable);
  EXPECT_FALSE(classify_http_error(400, {}, "").retryable);
  EXPECT_EQ(classify_http_error(418, {}, "").code, ErrorCode::Unknown);
}

// Throttling detection follows the names, not the status.
TEST(ErrorClassifier, ThrottlingDetection) {
  EXPECT_TRUE(
      is_throttling(classify_http_error(429, {{"x-amzn-ErrorType", "ThrottlingException"}}, "")));
  EXPECT_FALSE(is_throttling(
      classify_http_error(429, {{"x-amzn-ErrorType", "ModelNotReadyException"}}, "")));
  EXPECT_FALSE(is_throttling(classify_http_error(429, {}, "")));
}

// Transport failures: connection problems retry, deadline and cancellation do not.
TEST(ErrorClassifier, TransportErrors) {
  EXPECT_TRUE(classify_transport_error(Error::make(ErrorCode::ConnectionFailed, "x")).retryable);
  EXPECT_TRUE(classify_transport_error(Error::make(ErrorCode::ReadTimeout, "x")).retryable);
  EXPECT_TRUE(classify_transport_error(Error::make(ErrorCode::ConnectionReset, "x")).retryable);
  EXPECT_FALSE(classify_transport_error(Error::make(ErrorCode::DeadlineExceeded, "x")).retryable);
  EXPECT_FALSE(classify_transport_error(Error::make(ErrorCode::Cancelled, "x")).retryable);
  EXPECT_TRUE(is_timeout(Error::make(ErrorCode::ReadTimeout, "x")));
  EXPECT_TRUE(is_timeout(Error::make(ErrorCode::ConnectionFailed, "connect timed out")));
  EXPECT_FALSE(is_timeout(Error::make(ErrorCode::ConnectionFailed, "refused")));
}

// Name stripping per botocore: cut at ':' then keep after the last '#'.
TEST(ErrorClassifier, BareErrorName) {
  EXPECT_EQ(bare_error_name("ThrottlingException:http://internal.amazon.com/coral/x/"),
            "ThrottlingException");
  EXPECT_EQ(bare_error_name("aws.protocoltests#FooError"), "FooError");
  EXPECT_EQ(bare_error_name("a.b#FooError:http://x#y"), "FooError");
  EXPECT_EQ(bare_error_name("Plain"), "Plain");
}

// A huge HTML body is truncated in the message so logs stay bounded.
TEST(ErrorClassifier, LongBodyTruncated) {
  Error e = classify_http_error(500, {}, std::string(5000, 'x'));
  EXPECT_LT(e.message.size(), 1100u);
}

}  // namespace
}  // namespace bedrock::runtime
