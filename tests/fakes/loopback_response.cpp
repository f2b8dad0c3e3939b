// LoopbackRequest/LoopbackResponse helpers of the loopback server.
#include <strings.h>

#include "fakes/loopback_server.h"

namespace bedrock::testing {

std::optional<std::string_view> LoopbackRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

LoopbackResponse LoopbackResponse::text(int status, std::string body, LoopbackHeaders headers) {
  LoopbackResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers.emplace_back("Content-Type", "text/plain");
  return r;
}

LoopbackResponse LoopbackResponse::json(int status, std::string body, LoopbackHeaders headers) {
  LoopbackResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

LoopbackResponse LoopbackResponse::stall() {
  LoopbackResponse r;
  r.action = LoopbackAction::Stall;
  return r;
}

LoopbackResponse LoopbackResponse::tunnel() {
  LoopbackResponse r;
  r.action = LoopbackAction::Tunnel;
  return r;
}

LoopbackResponse LoopbackResponse::close() {
  LoopbackResponse r;
  r.action = LoopbackAction::Close;
  return r;
}

LoopbackResponse LoopbackResponse::partial_then_close(std::string full_body,
                                                      std::size_t sent_bytes) {
  LoopbackResponse r;
  r.action = LoopbackAction::PartialBodyThenClose;
  r.body = std::move(full_body);
  r.partial_body_bytes = sent_bytes;
  return r;
}

LoopbackResponse LoopbackResponse::partial_then_stall(std::string full_body,
                                                      std::size_t sent_bytes) {
  LoopbackResponse r;
  r.action = LoopbackAction::PartialBodyThenStall;
  r.body = std::move(full_body);
  r.partial_body_bytes = sent_bytes;
  return r;
}

LoopbackResponse LoopbackResponse::delayed(std::chrono::milliseconds delay,
                                           LoopbackResponse response) {
  response.delay = delay;
  return response;
}

LoopbackResponse LoopbackResponse::slow(std::string body, std::size_t chunk_bytes,
                                        std::chrono::milliseconds interval) {
  LoopbackResponse r;
  r.body = std::move(body);
  r.slow_chunk_bytes = chunk_bytes;
  r.slow_interval = interval;
  return r;
}

}  // namespace bedrock::testing
