// Event-stream bytes as Bedrock frames them, and scripted transports that feed them to the
// call's BodySink, for the streaming tests of the client.
#pragma once

#include <string>
#include <vector>

#include "bedrock/core/base64.h"
#include "bedrock/models/event_stream.h"
#include "tests/fakes/fake_transport.h"

namespace bedrock::runtime::testing_support {

inline std::string converse_frames(const std::vector<std::pair<std::string, std::string>>& events) {
  std::string out;
  for (const auto& [type, payload] : events) models::append_event(out, type, payload);
  return out;
}

inline std::string chunk_frames(const std::vector<std::string>& chunks) {
  std::string out;
  for (const auto& chunk : chunks) {
    models::append_event(out, "chunk",
                         R"({"bytes":")" + base64_encode(chunk) + R"(","p":"abcdefghijk"})");
  }
  return out;
}

inline std::string exception_frame(std::string_view type, std::string_view payload) {
  std::string out;
  models::append_event_stream_message(out,
                                      {{":exception-type", type},
                                       {":content-type", "application/json"},
                                       {":message-type", "exception"}},
                                      payload);
  return out;
}

// "Hel", "lo." in block 0, end_turn, usage 5 in / 2 out.
inline std::string converse_hello() {
  return converse_frames({
      {"messageStart", R"({"role":"assistant"})"},
      {"contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hel"}})"},
      {"contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"lo."}})"},
      {"contentBlockStop", R"({"contentBlockIndex":0})"},
      {"messageStop", R"({"stopReason":"end_turn"})"},
      {"metadata", R"({"usage":{"inputTokens":5,"outputTokens":2,"totalTokens":7},)"
                   R"("metrics":{"latencyMs":30}})"},
  });
}

// Feeds `bytes` to the call's sink in pieces of `piece` bytes, as a transport reading the wire.
inline bedrock::testing::FakeTransport::Handler stream_handler(int status, std::string bytes,
                                                               std::size_t piece = 5,
                                                               http::Headers headers = {
                                                                   {"x-amzn-RequestId", "s-1"}}) {
  return [=](const http::Request&, const http::CallOptions& o) -> Result<http::Response> {
    if (o.sink == nullptr) return fail(ErrorCode::InvalidResponse, "no sink for a stream");
    if (!o.sink->on_head(status, headers)) return fail(ErrorCode::Cancelled, "aborted");
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      if (!o.sink->on_body(std::string_view(bytes).substr(at, piece))) {
        return fail(ErrorCode::Cancelled, "aborted by the sink");
      }
    }
    return http::Response{status, headers, ""};
  };
}

}  // namespace bedrock::runtime::testing_support
