// Error responses as Bedrock sends them (reference §2.1/§2.2): the AWS exception name
// travels in x-amzn-ErrorType.
#include "error_body.h"

namespace bedrock::emulator::model {

std::string_view aws_error_type(ErrorCode code) {
  switch (code) {
    case ErrorCode::Validation:
    case ErrorCode::InputTooLong:  // Bedrock: "Input is too long for requested model."
      return "ValidationException";
    case ErrorCode::AccessDenied:
      return "AccessDeniedException";
    case ErrorCode::UnrecognizedClient:
      return "UnrecognizedClientException";
    case ErrorCode::InvalidSignature:
      return "InvalidSignatureException";
    case ErrorCode::ExpiredToken:
      return "ExpiredTokenException";
    case ErrorCode::MissingAuthentication:
      return "MissingAuthenticationTokenException";
    case ErrorCode::ResourceNotFound:
      return "ResourceNotFoundException";
    case ErrorCode::Throttling:
      return "ThrottlingException";
    case ErrorCode::ServiceQuotaExceeded:
      return "ServiceQuotaExceededException";
    case ErrorCode::ServiceUnavailable:
      return "ServiceUnavailableException";
    case ErrorCode::ModelTimeout:
      return "ModelTimeoutException";
    case ErrorCode::ModelNotReady:
      return "ModelNotReadyException";
    case ErrorCode::ModelError:
      return "ModelErrorException";
    case ErrorCode::ModelStreamError:
      return "ModelStreamErrorException";
    default:
      return "InternalServerException";
  }
}

int aws_error_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::Validation:
    case ErrorCode::InputTooLong:
    case ErrorCode::ServiceQuotaExceeded:
      return 400;
    case ErrorCode::AccessDenied:
    case ErrorCode::UnrecognizedClient:
    case ErrorCode::InvalidSignature:
    case ErrorCode::ExpiredToken:
    case ErrorCode::MissingAuthentication:
      return 403;
    case ErrorCode::ResourceNotFound:
      return 404;
    case ErrorCode::ModelTimeout:
      return 408;
    case ErrorCode::ModelError:
    case ErrorCode::ModelStreamError:
      return 424;
    case ErrorCode::Throttling:
    case ErrorCode::ModelNotReady:
      return 429;
    case ErrorCode::ServiceUnavailable:
      return 503;
    default:
      return 500;
  }
}

}  // namespace bedrock::emulator::model
