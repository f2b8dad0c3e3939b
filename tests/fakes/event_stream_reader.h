// Reads an AWS event-stream body back into messages, for tests of what the emulator streams.
// Independent of the writer (bedrock/models/event_stream.h): it follows docs/wire-protocol.md §9.1
// on its own, checks both CRCs with zlib and every length, and reports the first framing problem.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bedrock::testing {

struct EventStreamMessage {
  std::map<std::string, std::string> headers;  // string headers (type 7) only
  std::string payload;
};

struct EventStreamRead {
  std::vector<EventStreamMessage> messages;
  std::string problem;  // empty when the whole body was well-formed messages
};

inline EventStreamRead read_event_stream(std::string_view body) {
  EventStreamRead result;
  auto u32 = [](std::string_view b, std::size_t at) {
    return (std::uint32_t(std::uint8_t(b[at])) << 24) |
           (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
  };
  auto crc = [](std::string_view b) {
    return static_cast<std::uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size())));
  };
  std::size_t pos = 0;
  while (pos < body.size()) {
    if (body.size() - pos < 16) {
      result.problem = "truncated prelude at byte " + std::to_string(pos);
      return result;
    }
    const std::uint32_t total = u32(body, pos);
    const std::uint32_t headers_length = u32(body, pos + 4);
    if (total < 16 + headers_length || body.size() - pos < total) {
      result.problem = "bad lengths at byte " + std::to_string(pos);
      return result;
    }
    const std::string_view message = body.substr(pos, total);
    if (crc(message.substr(0, 8)) != u32(message, 8)) {
      result.problem = "prelude CRC mismatch at byte " + std::to_string(pos);
      return result;
    }
    if (crc(message.substr(0, total - 4)) != u32(message, total - 4)) {
      result.problem = "message CRC mismatch at byte " + std::to_string(pos);
      return result;
    }
    EventStreamMessage m;
    std::size_t h = 12;
    const std::size_t headers_end = 12 + headers_length;
    while (h < headers_end) {
      const std::size_t name_length = std::uint8_t(message[h]);
      const std::string name(message.substr(h + 1, name_length));
      h += 1 + name_length;
      if (h + 3 > headers_end || std::uint8_t(message[h]) != 7) {
        result.problem = "non-string header " + name;
        return result;
      }
      const std::size_t value_length =
          (std::size_t(std::uint8_t(message[h + 1])) << 8) | std::uint8_t(message[h + 2]);
      m.headers[name] = std::string(message.substr(h + 3, value_length));
      h += 3 + value_length;
    }
    if (h != headers_end) {
      result.problem = "headers overrun their length";
      return result;
    }
    m.payload = std::string(message.substr(headers_end, total - headers_end - 4));
    result.messages.push_back(std::move(m));
    pos += total;
  }
  return result;
}

}  // namespace bedrock::testing
