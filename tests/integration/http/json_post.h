// What most transport tests share: the request they send to a loopback server, its echo, and a
// stopwatch.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "bedrock/http/transport.h"
#include "fakes/loopback_server.h"

namespace bedrock::http {

// POST `body` as JSON to `url`.
inline Request json_post(const std::string& url, std::string body = "{}") {
  Request r;
  r.method = "POST";
  r.url = url;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

// A loopback handler answering 200 with the request's own body.
inline bedrock::testing::LoopbackResponse echo_body(const bedrock::testing::LoopbackRequest& r) {
  return bedrock::testing::LoopbackResponse::text(200, r.body);
}

// Milliseconds from `start` to now.
inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace bedrock::http
