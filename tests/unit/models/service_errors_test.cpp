#include "bedrock/models/service_errors.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bedrock::models {
namespace {

TEST(ServiceExceptions, FindsRowsByName) {
  // Exact names find their row with status, code and retry kind; other spellings find nothing.
  const auto* throttling = find_service_exception("ThrottlingException");
  ASSERT_NE(throttling, nullptr);
  EXPECT_EQ(throttling->http_status, 429);
  EXPECT_EQ(throttling->code, ErrorCode::Throttling);
  EXPECT_EQ(throttling->retry, RetryKind::Throttling);
  EXPECT_EQ(throttling->event_name, "throttlingException");
  EXPECT_EQ(throttling->default_message, "Too many requests, please wait before trying again.");

  const auto* not_ready = find_service_exception("ModelNotReadyException");
  ASSERT_NE(not_ready, nullptr);
  EXPECT_EQ(not_ready->http_status, 429);
  EXPECT_EQ(not_ready->retry, RetryKind::Transient);
  EXPECT_EQ(not_ready->event_name, "");

  const auto* unknown_op = find_service_exception("UnknownOperationException");
  ASSERT_NE(unknown_op, nullptr);
  EXPECT_EQ(unknown_op->http_status, 404);
  EXPECT_EQ(unknown_op->code, ErrorCode::Unknown);

  EXPECT_EQ(find_service_exception("throttlingexception"), nullptr);
  EXPECT_EQ(find_service_exception("Throttling"), nullptr);
  EXPECT_EQ(find_service_exception(""), nullptr);
}

TEST(ServiceExceptions, MapsEveryServiceCodeToTheExceptionSentForIt) {
  // Code -> exception, the way the emulator answers: name and status per Bedrock's model.
  struct Row {
    ErrorCode code;
    std::string_view name;
    int status;
  };
  const Row rows[] = {
      {ErrorCode::Validation, "ValidationException", 400},
      {ErrorCode::InputTooLong, "ValidationException", 400},
      {ErrorCode::ServiceQuotaExceeded, "ServiceQuotaExceededException", 400},
      {ErrorCode::AccessDenied, "AccessDeniedException", 403},
      {ErrorCode::UnrecognizedClient, "UnrecognizedClientException", 403},
      {ErrorCode::InvalidSignature, "InvalidSignatureException", 403},
      {ErrorCode::ExpiredToken, "ExpiredTokenException", 403},
      {ErrorCode::MissingAuthentication, "MissingAuthenticationTokenException", 403},
      {ErrorCode::ResourceNotFound, "ResourceNotFoundException", 404},
      {ErrorCode::ModelTimeout, "ModelTimeoutException", 408},
      {ErrorCode::ModelError, "ModelErrorException", 424},
      {ErrorCode::ModelStreamError, "ModelStreamErrorException", 424},
      {ErrorCode::Throttling, "ThrottlingException", 429},
      {ErrorCode::ModelNotReady, "ModelNotReadyException", 429},
      {ErrorCode::InternalServer, "InternalServerException", 500},
      {ErrorCode::ServiceUnavailable, "ServiceUnavailableException", 503},
      {ErrorCode::Unknown, "InternalServerException", 500},
      {ErrorCode::ConnectionReset, "InternalServerException", 500},
  };
  for (const auto& row : rows) {
    const ServiceException& sent = service_exception_for(row.code);
    EXPECT_EQ(sent.name, row.name) << to_string(row.code);
    EXPECT_EQ(sent.http_status, row.status) << to_string(row.code);
  }
}

TEST(ServiceExceptions, NameAndCodeLookupsAgree) {
  // Both ways round: a row found by its code is found again by its name, and vice versa.
  for (const auto& row : kServiceExceptions) {
    EXPECT_EQ(find_service_exception(row.name), &row) << row.name;
    if (row.code != ErrorCode::Unknown) {
      EXPECT_EQ(service_exception_for(row.code).code, row.code) << row.name;
    }
  }
}

TEST(ServiceExceptions, FindsStreamEventsByMemberName) {
  // Stream members are the lower-camel names; only the exceptions a stream can carry have one.
  const auto* stream_error = find_service_exception_event("modelStreamErrorException");
  ASSERT_NE(stream_error, nullptr);
  EXPECT_EQ(stream_error->name, "ModelStreamErrorException");
  EXPECT_EQ(find_service_exception_event("internalServerException")->http_status, 500);
  EXPECT_EQ(find_service_exception_event("accessDeniedException"), nullptr);
  EXPECT_EQ(find_service_exception_event("ThrottlingException"), nullptr);
  EXPECT_EQ(find_service_exception_event(""), nullptr);
}

TEST(ServiceExceptions, RowsAreWellFormed) {
  // Unique names, a 4xx/5xx status, a message, and event names that lower-case the first letter.
  std::set<std::string_view> names;
  for (const auto& row : kServiceExceptions) {
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
    EXPECT_GE(row.http_status, 400) << row.name;
    EXPECT_LE(row.http_status, 599) << row.name;
    EXPECT_FALSE(row.default_message.empty()) << row.name;
    if (!row.event_name.empty()) {
      std::string expected(row.name);
      expected[0] = static_cast<char>(expected[0] - 'A' + 'a');
      EXPECT_EQ(row.event_name, expected);
    }
  }
  EXPECT_EQ(names.size(), kServiceExceptions.size());
}

}  // namespace
}  // namespace bedrock::models
