// What a client of bedrock-content-server sees when a request fails: one HttpError (status,
// code name, sentence, offending field, Retry-After, Allow), built from a bedrock::Error by
// the one mapping below or by the helpers for the service's own refusals, and written in the
// route's error style. Never a 500 for bad input: 500 is only for a handler that failed to
// answer (a bug).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "bedrock/core/error.h"
#include "bedrock/net/http_types.h"

namespace bedrock::server {

// How a route writes its errors.
enum class ErrorStyle {
  // {"error": "<sentence>", "code": "<code>", "request_id": "<id>"} (the /api/ routes, /healthz)
  Content,
  // {"error": {"message", "type", "param", "code"}} (OpenAI's shape, the /v1/ routes)
  OpenAI,
};

struct HttpError {
  unsigned status = 400;
  // An ErrorCode name (to_string(ErrorCode)), or for refusals no ErrorCode describes:
  // "Unauthorized", "NotFound", "MethodNotAllowed", "PayloadTooLarge", "UnsupportedMediaType",
  // "Overloaded", "RateLimited", "NotReady", "InternalServer".
  std::string code;
  std::string message;  // one sentence for the caller; never upstream text, never a secret
  std::string param;    // the offending request field (400s), empty otherwise
  std::optional<std::chrono::seconds> retry_after;  // 429 and 503
  std::string allow;                                // 405: the methods the path takes
};

// The one mapping from a library or upstream failure to what the caller sees:
// Validation/ConfigurationInvalid 400, ResourceNotFound 404, InputTooLong 422, Throttling/
// ModelNotReady/ServiceQuotaExceeded 429 (Retry-After: `retry_after`), DeadlineExceeded/
// ModelTimeout/ReadTimeout 504, Cancelled 503 (the service is stopping), and every other upstream
// or credential failure 502 (the caller cannot fix those; the log has the detail).
HttpError from_error(const Error& error,
                     std::chrono::seconds retry_after = std::chrono::seconds(1));

// The service's own refusals. `field` is the request field as the caller wrote it ("text",
// "messages[2].role"); the sentence should name it too.
HttpError bad_field(std::string field, std::string sentence);                    // 400 Validation
HttpError unauthorized(std::string sentence);                                    // 401
HttpError not_found(std::string_view path);                                      // 404
HttpError method_not_allowed(std::string allow);                                 // 405 + Allow
HttpError payload_too_large(std::size_t limit_bytes);                            // 413
HttpError unsupported_media_type(std::string sentence);                          // 415
HttpError input_too_long(std::string sentence);                                  // 422 InputTooLong
HttpError rate_limited(std::string sentence, std::chrono::seconds retry_after);  // 429
HttpError overloaded(std::chrono::seconds retry_after);  // 503 + Retry-After
HttpError deadline_exceeded();                           // 504
HttpError internal_error();                              // 500 (bugs only)

// The response for `error` in `style`, with Content-Type, x-request-id, Retry-After and Allow
// set. `request_id` goes in the body too (Content style).
net::HttpResponse error_response(const HttpError& error, ErrorStyle style,
                                 std::string_view request_id);

// The JSON text of the body alone (for a final error event inside a stream).
std::string error_body(const HttpError& error, ErrorStyle style, std::string_view request_id);

}  // namespace bedrock::server
