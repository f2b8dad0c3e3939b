#include "emulator/model/error_body.h"

#include <gtest/gtest.h>

namespace bedrock::emulator::model {
namespace {

// Each service error maps to its AWS exception name and modeled status (docs/wire-protocol.md
// §2.1).
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

}  // namespace
}  // namespace bedrock::emulator::model
