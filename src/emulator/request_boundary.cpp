#include "request_boundary.h"

#include <fmt/format.h>

#include <exception>
#include <nlohmann/json.hpp>

#include "bedrock/core/log.h"

namespace bedrock::emulator {
namespace http = boost::beast::http;

namespace {

Reply admin_json(http::status status, std::string_view message) {
  Reply reply;
  reply.response.result(status);
  reply.response.version(11);
  reply.response.set(http::field::content_type, "application/json");
  reply.response.body() = nlohmann::json{{"message", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  reply.response.prepare_payload();
  return reply;
}

// The target is outside text: logged as the redacting logger shows it, bytes that are not
// printable ASCII escaped so a log line stays one valid line.
std::string printable(std::string_view text) {
  constexpr std::size_t kMax = 200;
  std::string out;
  for (const char c : text.substr(0, kMax)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  if (text.size() > kMax) out += "...";
  return out;
}

void log_failure(std::string_view port, const HttpRequest& request, std::string_view what) {
  logger()->error("bedrock-emulator: {} request {} {} failed: {}", port,
                  std::string(request.method_string()),
                  printable({request.target().data(), request.target().size()}), printable(what));
}

template <typename OnFailure>
Reply guarded(const RequestHandler& inner, const HttpRequest& request, OnFailure on_failure) {
  try {
    return inner(request);
  } catch (const std::exception& e) {
    return on_failure(e.what());
  } catch (...) {
    return on_failure("unknown exception");
  }
}

}  // namespace

RequestHandler data_plane_boundary(RequestHandler inner) {
  return [inner = std::move(inner)](const HttpRequest& request) {
    return guarded(inner, request, [&](std::string_view what) {
      log_failure("data-plane", request, what);
      Reply reply;
      reply.response = make_error_response(
          "InternalFailure", "The request processing has failed because of an unknown error.",
          new_request_id());
      return reply;
    });
  };
}

RequestHandler admin_boundary(RequestHandler inner, std::string token) {
  return [inner = std::move(inner), token = std::move(token)](const HttpRequest& request) {
    if (!token.empty() && !bearer_matches(request, token)) {
      Reply reply = admin_json(http::status::unauthorized,
                               "admin endpoint: missing or wrong Authorization: Bearer token");
      reply.response.set(http::field::www_authenticate, "Bearer");
      return reply;
    }
    return guarded(inner, request, [&](std::string_view what) {
      log_failure("admin", request, what);
      return admin_json(http::status::internal_server_error,
                        fmt::format("internal error: {}", what));
    });
  };
}

bool bearer_matches(const HttpRequest& request, std::string_view token) {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return false;
  const std::string_view value(it->value().data(), it->value().size());
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() != kScheme.size() + token.size()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    diff |= static_cast<unsigned char>(value[i]) ^ static_cast<unsigned char>(kScheme[i]);
  }
  for (std::size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(value[kScheme.size() + i]) ^
            static_cast<unsigned char>(token[i]);
  }
  return diff == 0;
}

}  // namespace bedrock::emulator
