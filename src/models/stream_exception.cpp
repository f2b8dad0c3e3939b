// In-stream exceptions (docs/wire-protocol.md §2.4): the lowerCamel union member names of the
// stream shapes, typed like the same errors outside a stream so retry and fallback read one type.
#include <fmt/format.h>

#include "bedrock/models/service_errors.h"
#include "bedrock/models/stream_decode.h"
#include "stream_support.h"

namespace bedrock::models {
Error stream_exception_error(std::string_view exception_type, std::string_view payload) {
  // The one exception table (service_errors.h) names each exception's stream member.
  const ServiceException* row = find_service_exception_event(exception_type);
  const ErrorCode code = row ? row->code : ErrorCode::Unknown;
  std::string aws_type(row ? row->name : exception_type);
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
