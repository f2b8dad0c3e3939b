#include "exit_codes.h"

namespace bedrock::cli {

ExitCode exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::ConfigurationInvalid:
    case ErrorCode::CredentialsNotFound:
      return kExitConfiguration;
    case ErrorCode::Validation:
    case ErrorCode::InputTooLong:
      return kExitInput;
    case ErrorCode::AccessDenied:
    case ErrorCode::UnrecognizedClient:
    case ErrorCode::InvalidSignature:
    case ErrorCode::ExpiredToken:
    case ErrorCode::MissingAuthentication:
      return kExitAuth;
    case ErrorCode::Throttling:
    case ErrorCode::ServiceQuotaExceeded:
    case ErrorCode::QueueFull:  // a capacity refusal like throttling: retry later
      return kExitThrottled;
    case ErrorCode::ServiceUnavailable:
    case ErrorCode::InternalServer:
    case ErrorCode::ModelTimeout:
    case ErrorCode::ModelNotReady:
    case ErrorCode::ModelError:
    case ErrorCode::ModelStreamError:
    case ErrorCode::InvalidResponse:
    case ErrorCode::SchemaMismatch:
      return kExitService;
    case ErrorCode::ConnectionFailed:
    case ErrorCode::ConnectionReset:
    case ErrorCode::ReadTimeout:
    case ErrorCode::TlsFailed:
      return kExitNetwork;
    case ErrorCode::DeadlineExceeded:
      return kExitDeadline;
    case ErrorCode::ResourceNotFound:
      return kExitNotFound;
    case ErrorCode::Cancelled:
      return kExitCancelled;
    case ErrorCode::Unknown:
      break;
  }
  return kExitUnexpected;
}

std::string exit_code_help() {
  return "Exit codes:\n"
         "  0    success\n"
         "  1    unexpected error\n"
         "  2    invalid command line\n"
         "  3    configuration invalid or no credentials found\n"
         "  4    invalid input (validation error, empty or too-long input)\n"
         "  5    authentication or authorization failed\n"
         "  6    throttled, quota exhausted (after retries) or job queue full\n"
         "  7    Bedrock or the model failed (5xx, model timeout, model not ready)\n"
         "  8    network failure (connection, TLS, read timeout)\n"
         "  9    deadline exceeded (--timeout)\n"
         "  10   model not found or not enabled\n"
         "  130  cancelled (Ctrl-C), also in the middle of a streamed answer\n";
}

}  // namespace bedrock::cli
