#include "error_classifier.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <optional>

#include "bedrock/core/ascii.h"
#include "bedrock/core/json_nesting.h"
#include "bedrock/core/utf8_repair.h"
#include "bedrock/models/service_errors.h"
#include "header_lookup.h"

namespace bedrock::runtime {
namespace {

using json = nlohmann::json;

// botocore's standard-mode throttling names (retries/standard.py ThrottlingErrorDetector) that
// the exception table does not list: other AWS services' spellings, which a proxy or a future
// Bedrock front end may still send.
constexpr std::array<std::string_view, 13> kOtherThrottlingNames = {
    "Throttling",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

// Standard-mode transient names (TransientRetryableChecker._TRANSIENT_ERROR_CODES).
constexpr std::array<std::string_view, 3> kTransientNames = {
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (auto n : names)
    if (n == name) return true;
  return false;
}

bool transient_status(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

bool throttling_name(std::string_view name) {
  const auto* row = models::find_service_exception(name);
  return (row != nullptr && row->retry == models::RetryKind::Throttling) ||
         contains(kOtherThrottlingNames, name);
}

bool retryable_name(std::string_view name) {
  const auto* row = models::find_service_exception(name);
  return (row != nullptr && row->retry != models::RetryKind::None) ||
         contains(kOtherThrottlingNames, name) || contains(kTransientNames, name);
}

struct NamedCode {
  std::string_view name;
  ErrorCode code;
};

// Other AWS front ends' spellings of exceptions the table lists under Bedrock's names.
constexpr std::array<NamedCode, 4> kOtherNames = {{
    {"SignatureDoesNotMatch", ErrorCode::InvalidSignature},
    {"ExpiredToken", ErrorCode::ExpiredToken},
    {"InternalFailure", ErrorCode::InternalServer},
    {"ConflictException", ErrorCode::Validation},
}};

// The code a name says, or nullopt when the name alone does not say one.
std::optional<ErrorCode> code_for_name(std::string_view name) {
  if (const auto* row = models::find_service_exception(name);
      row != nullptr && row->code != ErrorCode::Unknown) {
    return row->code;
  }
  for (const auto& nc : kOtherNames) {
    if (nc.name == name) return nc.code;
  }
  if (throttling_name(name)) return ErrorCode::Throttling;
  return std::nullopt;
}

// A status with no recognised name: the closest code, so the user message fits.
ErrorCode code_for_status(int status) {
  switch (status) {
    case 400:
      return ErrorCode::Validation;
    case 401:
    case 403:
      return ErrorCode::AccessDenied;
    case 404:
      return ErrorCode::ResourceNotFound;
    case 408:
      return ErrorCode::ModelTimeout;
    case 424:
      return ErrorCode::ModelError;
    case 429:
      return ErrorCode::Throttling;
    case 502:
    case 503:
    case 504:
      return ErrorCode::ServiceUnavailable;
    default:
      return status >= 500 ? ErrorCode::InternalServer : ErrorCode::Unknown;
  }
}

std::optional<std::string> string_field(const json& body, const char* key) {
  if (!body.is_object()) return std::nullopt;
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::string bare_error_name(std::string_view raw) {
  if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  if (auto hash = raw.rfind('#'); hash != std::string_view::npos) raw = raw.substr(hash + 1);
  return std::string(trim_ascii(raw, " \t"));
}

Error classify_http_error(int status, const http::Headers& headers, std::string_view body_text) {
  // A body nested deeper than any real error is read as text: parsing it would hand recursive
  // code (dump, copies) a stack-exhausting value.
  json body = !json_nesting_exceeds(body_text)
                  ? json::parse(body_text.begin(), body_text.end(), nullptr,
                                /*allow_exceptions=*/false)
                  : json(json::value_t::discarded);
  const bool is_json = !body.is_discarded();

  std::string message;
  if (!is_json) {
    message = std::string(body_text);
  } else if (auto m = string_field(body, "message")) {
    message = *m;
  } else if (auto cap = string_field(body, "Message")) {
    message = *cap;
  }

  std::string name;
  if (auto type = is_json ? string_field(body, "__type") : std::nullopt) {
    name = bare_error_name(*type);
  } else {
    name = std::to_string(status);
  }
  if (auto header = header_value(headers, "x-amzn-ErrorType")) {
    name = bare_error_name(*header);
  } else if (auto code = is_json ? string_field(body, "code") : std::nullopt) {
    name = bare_error_name(*code);
  } else if (auto cap_code = is_json ? string_field(body, "Code") : std::nullopt) {
    name = bare_error_name(*cap_code);
  }

  Error error;
  error.http_status = status;
  // Everything below came from the peer: it is shown and dumped as JSON later, so it must be
  // valid UTF-8 whatever the peer sent.
  error.aws_type = replace_invalid_utf8(name);
  if (auto rid = header_value(headers, "x-amzn-RequestId")) {
    error.request_id = replace_invalid_utf8(*rid);
  }

  error.code = code_for_name(name).value_or(code_for_status(status));
  // Bedrock reports a prompt over the context window as a plain ValidationException with this
  // text (docs/wire-protocol.md §2.1). Callers that can split the input (map-reduce) need to tell
  // it apart from other input errors, so it gets its own code; aws_type still says
  // ValidationException.
  if (error.code == ErrorCode::Validation &&
      (message.find("Input is too long") != std::string::npos ||
       message.find("too many input tokens") != std::string::npos ||
       message.find("prompt is too long") != std::string::npos)) {
    error.code = ErrorCode::InputTooLong;
  }

  error.retryable = retryable_name(name) || transient_status(status);

  if ((error.code == ErrorCode::ModelError || error.code == ErrorCode::ModelStreamError) &&
      is_json && body.is_object()) {
    auto it = body.find("originalStatusCode");
    if (it != body.end() && it->is_number_integer()) error.original_status = it->get<int>();
  }

  if (message.empty()) message = fmt::format("HTTP {} {}", status, name);
  // Keep logs bounded when a proxy answers with a whole HTML page.
  constexpr size_t kMaxMessage = 1024;
  if (message.size() > kMaxMessage) {
    message = std::string(utf8_prefix(message, kMaxMessage)) + "...";
  }
  message = replace_invalid_utf8(message);
  if (error.original_status != 0) {
    message += fmt::format(" (model status {})", error.original_status);
  }
  error.message = std::move(message);
  return error;
}

Error classify_transport_error(Error e) {
  switch (e.code) {
    case ErrorCode::ConnectionFailed:
    case ErrorCode::ConnectionReset:
    case ErrorCode::ReadTimeout:
    case ErrorCode::TlsFailed:
      // botocore's ConnectionError family includes SSL errors; all are retried.
      e.retryable = true;
      break;
    default:
      e.retryable = false;
      break;
  }
  return e;
}

bool is_throttling(const Error& error) { return throttling_name(error.aws_type); }

bool is_timeout(const Error& error) {
  if (error.http_status != 0) return false;
  if (error.code == ErrorCode::ReadTimeout) return true;
  // A connect timeout surfaces as ConnectionFailed; the transport says so in the message.
  return error.code == ErrorCode::ConnectionFailed &&
         error.message.find("timed out") != std::string::npos;
}

bool is_fallback_worthy(const Error& error) {
  switch (error.code) {
    case ErrorCode::Throttling:
    case ErrorCode::ServiceQuotaExceeded:
    case ErrorCode::ServiceUnavailable:
    case ErrorCode::InternalServer:
    case ErrorCode::ModelTimeout:
    case ErrorCode::ModelNotReady:
    case ErrorCode::ModelError:
    case ErrorCode::ResourceNotFound:
    case ErrorCode::AccessDenied:
      return true;
    default:
      return false;
  }
}

}  // namespace bedrock::runtime
