// Test helpers for bedrock-content-server over real loopback sockets: one blocking HTTP/1.1
// exchange with every read bounded, the response's headers kept; and an in-process Service on
// 127.0.0.1:0 whose upstream is a given endpoint (the emulator, or nothing listening).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/service.h"

namespace bedrock::server::testing {

struct Reply {
  unsigned status = 0;                         // 0: no complete response within the limit
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool peer_closed = false;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// The bytes of a request with Host, Content-Length (when there is a body or it is a POST),
// Content-Type: application/json for a body unless `headers` name one, and `headers`.
std::string request_bytes(std::string_view method, std::string_view target,
                          std::string_view body = {}, const Headers& headers = {});

// The first whole response to `bytes` sent on a new connection to 127.0.0.1:`port`.
Reply exchange(std::uint16_t port, const std::string& bytes,
               std::chrono::milliseconds limit = std::chrono::seconds(10));

inline Reply call(std::uint16_t port, std::string_view method, std::string_view target,
                  std::string_view body = {}, const Headers& headers = {},
                  std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  return exchange(port, request_bytes(method, target, body, headers), limit);
}

// Whole responses parsed out of `bytes` (for pipelined or streamed answers); the last
// element's status is 0 when the bytes end mid-response.
std::optional<Reply> parse_reply(std::string_view bytes, std::size_t* consumed = nullptr);

// ServiceOptions for a loopback service whose upstream is `endpoint_url`, signed with the
// emulator's test key pair (never the real ~/.aws).
ServiceOptions loopback_options(const std::string& endpoint_url = "http://127.0.0.1:9");

// Creates and starts a Service; fails the test (and returns null) when it cannot.
std::unique_ptr<Service> start_service(ServiceOptions options);

}  // namespace bedrock::server::testing
