// Shared helpers of the stream decoding tests: frame native chunks and Converse events the way
// Bedrock does, then run the bytes through EventStreamDecoder and a stream decoder.
#pragma once

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bedrock/core/base64.h"
#include "bedrock/models/event_stream.h"
#include "bedrock/models/event_stream_decoder.h"
#include "bedrock/models/stream.h"
#include "bedrock/models/stream_decode.h"
#include "codec_test_support.h"

namespace bedrock::models::testing {

inline std::vector<std::string> read_lines(const std::string& relative) {
  std::istringstream in(read_golden(relative));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// One InvokeModelWithResponseStream `chunk` event carrying `chunk_json`, with Bedrock's padding.
inline void append_chunk_event(std::string& out, const std::string& chunk_json) {
  const std::string payload =
      R"({"bytes":")" + base64_encode(chunk_json) + R"(","p":"abcdefghijklmnopq"})";
  append_event(out, "chunk", payload);
}

inline std::string frame_chunks(const std::vector<std::string>& chunks) {
  std::string out;
  for (const auto& chunk : chunks) append_chunk_event(out, chunk);
  return out;
}

// converse.events.jsonl lines: {"event": name, "payload": {...}}.
inline std::string frame_converse_events(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    const auto event = nlohmann::json::parse(line);
    append_event(out, event["event"].get<std::string>(), event["payload"].dump());
  }
  return out;
}

inline std::string exception_message(std::string_view type, std::string_view payload) {
  std::string out;
  append_event_stream_message(out,
                              {{":exception-type", type},
                               {":content-type", "application/json"},
                               {":message-type", "exception"}},
                              payload);
  return out;
}

// Feeds `bytes` in pieces of `piece` bytes and decodes every message with `decode`
// (a callable EventStreamMessageView -> Result<std::vector<StreamEvent>>).
template <typename Decode>
Result<std::vector<StreamEvent>> decode_bytes(std::string_view bytes, Decode decode,
                                              std::size_t piece = 7) {
  EventStreamDecoder framing;
  std::vector<StreamEvent> events;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    auto ok = framing.feed(bytes.substr(at, piece), [&](const EventStreamMessageView& m) -> Status {
      auto decoded = decode(m);
      if (!decoded) return fail(decoded.error());
      for (auto& e : *decoded) events.push_back(std::move(e));
      return {};
    });
    if (!ok) return fail(ok.error());
  }
  if (!framing.at_message_boundary()) return fail(ErrorCode::InvalidResponse, "cut stream");
  return events;
}

inline Result<std::vector<StreamEvent>> decode_invoke_bytes(std::string_view bytes,
                                                            ModelFamily family,
                                                            std::size_t piece = 7) {
  InvokeStreamDecoder decoder(family);
  return decode_bytes(
      bytes, [&](const EventStreamMessageView& m) { return decoder.decode(m); }, piece);
}

inline Result<std::vector<StreamEvent>> decode_converse_bytes(std::string_view bytes,
                                                              std::size_t piece = 7) {
  return decode_bytes(
      bytes, [](const EventStreamMessageView& m) { return decode_converse_stream_message(m); },
      piece);
}

inline StreamAccumulator accumulate(const std::vector<StreamEvent>& events) {
  StreamAccumulator acc;
  for (const auto& e : events) acc.add(e);
  return acc;
}

}  // namespace bedrock::models::testing
