#include "server/http_error.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace bedrock::server {

namespace {

HttpError make(unsigned status, std::string code, std::string message) {
  HttpError e;
  e.status = status;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

// OpenAI's error "type" for a status, as its API documents them.
std::string_view openai_type(unsigned status) {
  switch (status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 429:
      return "rate_limit_error";
    default:
      return status >= 500 ? "server_error" : "invalid_request_error";
  }
}

// OpenAI's well-known codes where one means the same thing; our code name otherwise.
std::string openai_code(const HttpError& e) {
  if (e.status == 401) return "invalid_api_key";
  if (e.code == "InputTooLong") return "context_length_exceeded";
  if (e.status == 429) return "rate_limit_exceeded";
  if (e.code == "ResourceNotFound") return "model_not_found";
  return e.code;
}

}  // namespace

HttpError from_error(const Error& error, std::chrono::seconds retry_after) {
  const std::string code(to_string(error.code));
  switch (error.code) {
    case ErrorCode::Validation:
    case ErrorCode::ConfigurationInvalid:
      return make(400, code,
                  "The model service rejected the request as invalid; check the model and the "
                  "parameters.");
    case ErrorCode::ResourceNotFound:
      return make(404, code, "The requested model was not found or is not available.");
    case ErrorCode::InputTooLong:
      return make(422, code, "The input is too long for the model's context window.");
    case ErrorCode::Throttling:
    case ErrorCode::ModelNotReady:
    case ErrorCode::ServiceQuotaExceeded: {
      HttpError e = make(429, code,
                         "The model service is throttling requests; retry after the delay in "
                         "Retry-After.");
      e.retry_after = retry_after;
      return e;
    }
    case ErrorCode::DeadlineExceeded:
    case ErrorCode::ModelTimeout:
    case ErrorCode::ReadTimeout:
      return make(504, code, "The model did not answer within the request's time limit.");
    case ErrorCode::Cancelled: {
      HttpError e = make(503, code, "The request was cancelled because the service is stopping.");
      e.retry_after = retry_after;
      return e;
    }
    case ErrorCode::QueueFull: {
      HttpError e = make(503, code, "The job queue is full; retry after the delay in Retry-After.");
      e.retry_after = retry_after;
      return e;
    }
    default:
      return make(502, code,
                  "The model service failed to answer; the failure is logged under this "
                  "request's id.");
  }
}

HttpError bad_field(std::string field, std::string sentence) {
  HttpError e = make(400, "Validation", std::move(sentence));
  e.param = std::move(field);
  return e;
}

HttpError unauthorized(std::string sentence) {
  return make(401, "Unauthorized", std::move(sentence));
}

HttpError not_found(std::string_view path) {
  // The path is the caller's own text: bounded, and never echoed with control characters.
  std::string shown;
  for (char c : path.substr(0, 200)) shown.push_back(c >= 0x20 && c != 0x7f ? c : '?');
  return make(404, "NotFound", fmt::format("No route for the path {}.", shown));
}

HttpError method_not_allowed(std::string allow) {
  HttpError e =
      make(405, "MethodNotAllowed", fmt::format("This path takes only these methods: {}.", allow));
  e.allow = std::move(allow);
  return e;
}

HttpError payload_too_large(std::size_t limit_bytes) {
  return make(413, "PayloadTooLarge",
              fmt::format("The request body is larger than the limit of {} bytes.", limit_bytes));
}

HttpError unsupported_media_type(std::string sentence) {
  return make(415, "UnsupportedMediaType", std::move(sentence));
}

HttpError input_too_long(std::string sentence) {
  return make(422, "InputTooLong", std::move(sentence));
}

HttpError rate_limited(std::string sentence, std::chrono::seconds retry_after) {
  HttpError e = make(429, "RateLimited", std::move(sentence));
  e.retry_after = retry_after;
  return e;
}

HttpError overloaded(std::chrono::seconds retry_after) {
  HttpError e = make(503, "Overloaded",
                     "The service is at its limit of requests in flight; retry after the delay "
                     "in Retry-After.");
  e.retry_after = retry_after;
  return e;
}

HttpError deadline_exceeded() {
  return make(504, "DeadlineExceeded", "The request did not complete within its time limit.");
}

HttpError internal_error() {
  return make(500, "InternalServer",
              "The service failed to answer this request; the failure is logged under its id.");
}

std::string error_body(const HttpError& error, ErrorStyle style, std::string_view request_id) {
  nlohmann::json body;
  if (style == ErrorStyle::OpenAI) {
    body["error"] = {
        {"message", error.message},
        {"type", openai_type(error.status)},
        {"param", error.param.empty() ? nlohmann::json() : nlohmann::json(error.param)},
        {"code", openai_code(error)}};
  } else {
    body["error"] = error.message;
    body["code"] = error.code;
    body["request_id"] = request_id;
    if (!error.param.empty()) body["field"] = error.param;
  }
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

net::HttpResponse error_response(const HttpError& error, ErrorStyle style,
                                 std::string_view request_id) {
  namespace http = boost::beast::http;
  net::HttpResponse r{static_cast<http::status>(error.status), 11};
  r.set(http::field::content_type, "application/json");
  r.set("x-request-id", boost::beast::string_view(request_id.data(), request_id.size()));
  if (error.retry_after)
    r.set(http::field::retry_after, std::to_string(error.retry_after->count()));
  if (!error.allow.empty()) r.set(http::field::allow, error.allow);
  r.body() = error_body(error, style, request_id);
  return r;
}

}  // namespace bedrock::server
