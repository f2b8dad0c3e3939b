#include "bedrock/runtime/error_classifier.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <optional>

#include "bedrock/core/json_nesting.h"
#include "bedrock/core/utf8_repair.h"
#include "header_lookup.h"

namespace bedrock::runtime {
namespace {

using json = nlohmann::json;

// Standard-mode throttling names (botocore retries/standard.py ThrottlingErrorDetector).
constexpr std::array<std::string_view, 14> kThrottlingNames = {
    "Throttling",
    "ThrottlingException",
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

struct NamedCode {
  std::string_view name;
  ErrorCode code;
};

constexpr std::array<NamedCode, 19> kNamedCodes = {{
    {"ValidationException", ErrorCode::Validation},
    {"AccessDeniedException", ErrorCode::AccessDenied},
    {"UnrecognizedClientException", ErrorCode::UnrecognizedClient},
    {"InvalidSignatureException", ErrorCode::InvalidSignature},
    {"SignatureDoesNotMatch", ErrorCode::InvalidSignature},
    {"ExpiredTokenException", ErrorCode::ExpiredToken},
    {"ExpiredToken", ErrorCode::ExpiredToken},
    {"MissingAuthenticationTokenException", ErrorCode::MissingAuthentication},
    {"ResourceNotFoundException", ErrorCode::ResourceNotFound},
    {"ThrottlingException", ErrorCode::Throttling},
    {"ServiceQuotaExceededException", ErrorCode::ServiceQuotaExceeded},
    {"ServiceUnavailableException", ErrorCode::ServiceUnavailable},
    {"InternalServerException", ErrorCode::InternalServer},
    {"InternalFailure", ErrorCode::InternalServer},
    {"ModelTimeoutException", ErrorCode::ModelTimeout},
    {"ModelNotReadyException", ErrorCode::ModelNotReady},
    {"ModelErrorException", ErrorCode::ModelError},
    {"ModelStreamErrorException", ErrorCode::ModelStreamError},
    {"ConflictException", ErrorCode::Validation},
}};

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
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  return std::string(raw);
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

  bool named = false;
  for (const auto& nc : kNamedCodes) {
    if (nc.name == name) {
      error.code = nc.code;
      named = true;
      break;
    }
  }
  if (!named && contains(kThrottlingNames, name)) {
    error.code = ErrorCode::Throttling;
    named = true;
  }
  if (!named) error.code = code_for_status(status);
  // Bedrock reports a prompt over the context window as a plain ValidationException with this
  // text (reference §2.1). Callers that can split the input (map-reduce) need to tell it apart
  // from other input errors, so it gets its own code; aws_type still says ValidationException.
  if (error.code == ErrorCode::Validation &&
      (message.find("Input is too long") != std::string::npos ||
       message.find("too many input tokens") != std::string::npos ||
       message.find("prompt is too long") != std::string::npos)) {
    error.code = ErrorCode::InputTooLong;
  }

  error.retryable = contains(kThrottlingNames, name) || contains(kTransientNames, name) ||
                    transient_status(status) || name == "ModelNotReadyException";

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

bool is_throttling(const Error& error) { return contains(kThrottlingNames, error.aws_type); }

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
