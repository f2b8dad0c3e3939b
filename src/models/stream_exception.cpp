// In-stream exceptions (reference §2.4): the lowerCamel union member names of the stream
// shapes, typed like the same errors outside a stream so retry and fallback read one type.
#include <fmt/format.h>

#include "bedrock/models/stream_decode.h"
#include "stream_support.h"

namespace bedrock::models {
namespace {

struct ExceptionKind {
  std::string_view member;
  std::string_view aws_type;
  ErrorCode code;
};

constexpr ExceptionKind kKinds[] = {
    {"throttlingException", "ThrottlingException", ErrorCode::Throttling},
    {"modelStreamErrorException", "ModelStreamErrorException", ErrorCode::ModelStreamError},
    {"validationException", "ValidationException", ErrorCode::Validation},
    {"internalServerException", "InternalServerException", ErrorCode::InternalServer},
    {"serviceUnavailableException", "ServiceUnavailableException", ErrorCode::ServiceUnavailable},
    {"modelTimeoutException", "ModelTimeoutException", ErrorCode::ModelTimeout},
};

}  // namespace

Error stream_exception_error(std::string_view exception_type, std::string_view payload) {
  ErrorCode code = ErrorCode::Unknown;
  std::string aws_type(exception_type);
  for (const auto& kind : kKinds) {
    if (kind.member == exception_type) {
      code = kind.code;
      aws_type = kind.aws_type;
      break;
    }
  }
  std::string message;
  int original_status = 0;
  std::string original_message;
  // A payload we cannot read still leaves a typed error: the kind is in the header.
  auto json = detail::parse_stream_object(payload, StreamLimits{}.max_payload_bytes, {},
                                          "stream exception payload");
  if (json) {
    message = detail::optional_string(*json, "/message");
    if (message.empty()) message = detail::optional_string(*json, "/Message");
    original_status = detail::optional_count(*json, "/originalStatusCode").value_or(0);
    original_message = detail::optional_string(*json, "/originalMessage");
  }
  if (message.empty()) message = fmt::format("{} in the response stream", exception_type);
  if (!original_message.empty()) {
    message += fmt::format(" (model said: {})", original_message);
  }
  Error error = Error::make(code, std::move(message));
  error.aws_type = std::move(aws_type);
  error.original_status = original_status;
  return error;
}

}  // namespace bedrock::models
