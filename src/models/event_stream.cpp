#include "bedrock/models/event_stream.h"

#include <cstdint>

#include "bedrock/core/crc32.h"

namespace bedrock::models {
namespace {

constexpr std::uint8_t kStringHeader = 7;

void append_u32(std::string& out, std::uint32_t v) {
  const char bytes[] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                        static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(bytes, sizeof bytes);
}

}  // namespace

void append_event_stream_message(std::string& out, std::initializer_list<EventStreamHeader> headers,
                                 std::string_view payload) {
  std::size_t headers_length = 0;
  for (const auto& [name, value] : headers)
    headers_length += 1 + name.size() + 1 + 2 + value.size();
  const std::size_t total_length = 12 + headers_length + payload.size() + 4;
  const std::size_t start = out.size();
  out.reserve(start + total_length);
  append_u32(out, static_cast<std::uint32_t>(total_length));
  append_u32(out, static_cast<std::uint32_t>(headers_length));
  const std::uint32_t prelude_crc = crc32(std::string_view(out).substr(start, 8));
  append_u32(out, prelude_crc);
  for (const auto& [name, value] : headers) {
    out.push_back(static_cast<char>(name.size()));
    out.append(name);
    out.push_back(static_cast<char>(kStringHeader));
    out.push_back(static_cast<char>(value.size() >> 8));
    out.push_back(static_cast<char>(value.size() & 0xFF));
    out.append(value);
  }
  out.append(payload);
  // The message CRC covers the prelude too: continue from the prelude's instead of rereading it.
  append_u32(out, crc32(std::string_view(out).substr(start + 8), prelude_crc));
}

void append_event(std::string& out, std::string_view event_type, std::string_view json_payload) {
  append_event_stream_message(out,
                              {{":event-type", event_type},
                               {":content-type", "application/json"},
                               {":message-type", "event"}},
                              json_payload);
}

}  // namespace bedrock::models
