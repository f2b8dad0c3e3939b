#include <fmt/format.h>

#include <exception>
#include <nlohmann/json.hpp>

#include "bedrock/core/log.h"
#include "bedrock/net/server.h"
#include "shared_state.h"

namespace bedrock::net {
namespace http = boost::beast::http;

HttpResponse default_refusal(Refusal refusal, const ServerOptions& options) {
  http::status status = http::status::internal_server_error;
  std::string code;
  std::string sentence;
  switch (refusal) {
    case Refusal::BodyTooLarge:
      status = http::status::payload_too_large;
      code = "BodyTooLarge";
      sentence = fmt::format("The request body is larger than the limit of {} bytes.",
                             options.max_body_bytes);
      break;
    case Refusal::HeadersTooLarge:
      status = http::status::request_header_fields_too_large;
      code = "HeadersTooLarge";
      sentence = fmt::format("The request headers are larger than the limit of {} bytes.",
                             options.max_header_bytes);
      break;
    case Refusal::Busy:
      status = http::status::service_unavailable;
      code = "Busy";
      sentence = "Too many request bytes are being received; retry later.";
      break;
    case Refusal::Unanswered:
      code = "InternalError";
      sentence = "The server failed to answer the request.";
      break;
  }
  HttpResponse response{status, 11};
  response.set(http::field::content_type, "application/json");
  if (refusal == Refusal::Busy) response.set(http::field::retry_after, "1");
  response.body() = nlohmann::json{{"error", sentence}, {"code", code}}.dump();
  response.prepare_payload();
  return response;
}

namespace detail {

HttpResponse SharedState::refusal(Refusal kind) const {
  if (options.refusal) {
    try {
      return options.refusal(kind);
    } catch (const std::exception& e) {
      logger()->error("net: refusal hook: {}", e.what());
    } catch (...) {
      logger()->error("net: refusal hook: unknown exception");
    }
  }
  return default_refusal(kind, options);
}

}  // namespace detail
}  // namespace bedrock::net
