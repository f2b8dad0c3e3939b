// The AWS exceptions Bedrock Runtime (and the AWS front end before it) answers with: one row
// each, read by the client's error classifier and by the emulator (its error responses,
// fixtures and injected faults). A new exception is one row here.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "bedrock/core/error.h"

namespace bedrock::models {

// What the exception's name alone says about retrying, as the AWS SDKs' standard mode reads
// it (a 5xx status is retried whatever the name).
enum class RetryKind {
  None,
  Throttling,  // retried, and counted as throttling
  Transient,   // retried
};

struct ServiceException {
  std::string_view name;  // "ThrottlingException", as in x-amzn-ErrorType and "__type"
  int http_status;        // the status it is sent with
  // The client's code for it; Unknown where the client has none and classifies by status.
  ErrorCode code;
  RetryKind retry;
  // What the service says when nothing more specific applies (public captures where one
  // exists; the emulator's default).
  std::string_view default_message;
  // The member name when it arrives as an event inside a response stream
  // ("throttlingException"); empty when it is never sent that way.
  std::string_view event_name;
};

// The first row with a given code is the one sent for that code.
inline constexpr std::array kServiceExceptions = {
    ServiceException{"ValidationException", 400, ErrorCode::Validation, RetryKind::None,
                     "Malformed input request, please reformat your input and try again.",
                     "validationException"},
    ServiceException{"ServiceQuotaExceededException", 400, ErrorCode::ServiceQuotaExceeded,
                     RetryKind::None,
                     "Your request exceeds the service quota for your account. You can view your "
                     "quotas at https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html.",
                     ""},
    ServiceException{"AccessDeniedException", 403, ErrorCode::AccessDenied, RetryKind::None,
                     "You don't have access to the model with the specified model ID.", ""},
    ServiceException{"ResourceNotFoundException", 404, ErrorCode::ResourceNotFound, RetryKind::None,
                     "The provided model identifier is invalid.", ""},
    ServiceException{"ModelTimeoutException", 408, ErrorCode::ModelTimeout, RetryKind::None,
                     "Model has timed out in processing the request. Try your request again.",
                     "modelTimeoutException"},
    ServiceException{"ModelErrorException", 424, ErrorCode::ModelError, RetryKind::None,
                     "The model returned an error while processing the request.", ""},
    ServiceException{"ModelStreamErrorException", 424, ErrorCode::ModelStreamError, RetryKind::None,
                     "The model returned an error while streaming the response.",
                     "modelStreamErrorException"},
    ServiceException{"ThrottlingException", 429, ErrorCode::Throttling, RetryKind::Throttling,
                     "Too many requests, please wait before trying again.", "throttlingException"},
    ServiceException{"ModelNotReadyException", 429, ErrorCode::ModelNotReady, RetryKind::Transient,
                     "Model is not ready to serve inference requests. The AWS SDK will "
                     "automatically retry the operation up to 5 times. For information about "
                     "configuring automatic retries, see Retry behavior in the AWS SDKs and Tools "
                     "reference guide.",
                     ""},
    ServiceException{"InternalServerException", 500, ErrorCode::InternalServer, RetryKind::None,
                     "The server encountered an internal error while processing the request.",
                     "internalServerException"},
    ServiceException{"ServiceUnavailableException", 503, ErrorCode::ServiceUnavailable,
                     RetryKind::None, "Bedrock is unable to process your request.",
                     "serviceUnavailableException"},
    // The AWS front end's answers (authentication, routing, body parsing), not Bedrock's own.
    ServiceException{"UnrecognizedClientException", 403, ErrorCode::UnrecognizedClient,
                     RetryKind::None, "The security token included in the request is invalid.", ""},
    ServiceException{"InvalidSignatureException", 403, ErrorCode::InvalidSignature, RetryKind::None,
                     "The request signature we calculated does not match the signature you "
                     "provided. Check your AWS Secret Access Key and signing method. Consult the "
                     "service documentation for details.",
                     ""},
    ServiceException{"IncompleteSignatureException", 400, ErrorCode::Unknown, RetryKind::None,
                     "Authorization header requires a valid signature.", ""},
    ServiceException{"MissingAuthenticationTokenException", 403, ErrorCode::MissingAuthentication,
                     RetryKind::None, "Missing Authentication Token", ""},
    ServiceException{"ExpiredTokenException", 403, ErrorCode::ExpiredToken, RetryKind::None,
                     "The security token included in the request is expired", ""},
    ServiceException{"UnknownOperationException", 404, ErrorCode::Unknown, RetryKind::None,
                     "Unknown operation", ""},
    ServiceException{"SerializationException", 400, ErrorCode::Unknown, RetryKind::None,
                     "Could not parse the request body.", ""},
};

// The row named `name` (exact spelling), or nullptr.
constexpr const ServiceException* find_service_exception(std::string_view name) {
  for (const auto& row : kServiceExceptions) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

// The exception sent for a service error code: its first row; InputTooLong is Bedrock's
// ValidationException, and a code with no row (Unknown, client-side codes) is sent as
// InternalServerException.
const ServiceException& service_exception_for(ErrorCode code);

// The row whose stream event member is `event_name` ("throttlingException"), or nullptr.
const ServiceException* find_service_exception_event(std::string_view event_name);

}  // namespace bedrock::models
