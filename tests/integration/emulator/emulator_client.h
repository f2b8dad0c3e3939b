// A minimal blocking HTTP/1.1 client for the emulator's integration tests: one request per
// call on a fresh connection (or a kept one), with a read deadline, reporting what the wire
// showed (status, headers, body bytes, or that the peer closed / stayed silent).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bedrock/http/transport.h"
#include "emulator/server.h"

namespace bedrock::emulator::testing {

// SigV4 checking off: most suites are not about authentication.
inline ServerOptions no_auth() {
  ServerOptions o;
  o.auth.enabled = false;
  return o;
}

// Claude 3 Haiku's two streaming operations, as request paths.
inline constexpr const char* kStreamPath =
    "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream";
inline constexpr const char* kConverseStreamPath =
    "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream";

struct Exchange {
  bool connected = false;
  bool timed_out = false;     // no complete response before the deadline
  bool closed_early = false;  // the peer closed before a complete response
  std::size_t raw_bytes = 0;  // bytes received in total
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  // "ThrottlingException" from x-amzn-ErrorType (the part before ':').
  std::string error_type() const;
};

// Sends `request` (url "http://127.0.0.1:PORT/...") and reads one response.
Exchange send(const http::Request& request,
              std::chrono::milliseconds deadline = std::chrono::seconds(5));

// Builds a POST to the emulator's port with a JSON body.
http::Request post(std::uint16_t port, const std::string& path, std::string body);
http::Request get(std::uint16_t port, const std::string& path);

inline const char* kClaudeBody =
    R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,)"
    R"("messages":[{"role":"user","content":"The sky is blue. Grass is green."}]})";
inline const char* kClaudePath = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke";

// An emulator started on port 0 with an admin port.
std::unique_ptr<Emulator> start_emulator(ServerOptions options,
                                         const Clock& clock = system_clock());

}  // namespace bedrock::emulator::testing
