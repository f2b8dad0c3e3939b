#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/model/emulation.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;

// Each service error maps to its AWS exception name and modeled status (reference §2.1).
TEST(ErrorBody, TypesAndStatuses) {
  struct Row {
    ErrorCode code;
    std::string type;
    int status;
  };
  const std::vector<Row> rows = {
      {ErrorCode::Validation, "ValidationException", 400},
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
  };
  for (const auto& row : rows) {
    EXPECT_EQ(aws_error_type(row.code), row.type);
    EXPECT_EQ(aws_error_status(row.code), row.status) << row.type;
  }
}

// Bodies carry "message", plus the modeled extras of the model-error shapes only.
TEST(ErrorBody, Bodies) {
  Error throttled =
      Error::make(ErrorCode::Throttling, "Too many requests, please wait before trying again.");
  EXPECT_EQ(render_error_body(throttled),
            R"({"message":"Too many requests, please wait before trying again."})");

  Error model = Error::make(ErrorCode::ModelError, "Model returned an error");
  model.original_status = 500;
  json body = json::parse(
      render_error_body(model, "arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-ep"));
  EXPECT_EQ(body,
            (json{{"message", "Model returned an error"},
                  {"originalStatusCode", 500},
                  {"resourceName", "arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-ep"}}));

  Error stream = Error::make(ErrorCode::ModelStreamError, "stream failed");
  stream.original_status = 42;  // out of the modeled 100..599 range
  body = json::parse(render_error_body(stream, "upstream said no"));
  EXPECT_EQ(body["originalStatusCode"], 500);
  EXPECT_EQ(body["originalMessage"], "upstream said no");
}

}  // namespace
}  // namespace bedrock::emulator::model
