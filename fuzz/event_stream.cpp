// The event-stream writer (application/vnd.amazon.eventstream; there is no reader yet): the
// emulator frames text that came from requests. The input is cut into up to three headers and
// a payload (each a length byte or two, then the bytes). Property: every message written
// decodes, with an independent reader here, to exactly the headers and payload given, with
// both CRCs right.
#include "bedrock/models/event_stream.h"

#include <zlib.h>

#include <algorithm>
#include <vector>

#include "fuzz_check.h"

namespace {

std::uint32_t be32(std::string_view s, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(s[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(s[at + 3])};
}

std::uint32_t crc(std::string_view s) {
  return static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// Takes a field of at most `max` bytes whose length is given by the next byte(s).
std::string_view take(std::string_view& in, std::size_t max) {
  if (in.empty()) return {};
  std::size_t length = static_cast<unsigned char>(in[0]);
  in.remove_prefix(1);
  if (max > 255 && !in.empty()) {
    length = length * 256 + static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
  }
  length = std::min({length, max, in.size()});
  const std::string_view field = in.substr(0, length);
  in.remove_prefix(length);
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = bedrock::fuzz::as_text(data, size);
  std::vector<bedrock::models::EventStreamHeader> headers;
  for (int i = 0; i < 3; ++i) {
    const auto name = take(in, 255);
    const auto value = take(in, 65535);
    headers.emplace_back(name, value);
  }
  const std::string_view payload = in;

  std::string out;
  bedrock::models::append_event_stream_message(out, {headers[0], headers[1], headers[2]}, payload);
  FUZZ_CHECK(out.size() >= 16);
  FUZZ_CHECK(be32(out, 0) == out.size());
  FUZZ_CHECK(be32(out, 8) == crc(std::string_view(out).substr(0, 8)));
  FUZZ_CHECK(be32(out, out.size() - 4) == crc(std::string_view(out).substr(0, out.size() - 4)));
  const std::size_t headers_end = 12 + be32(out, 4);
  FUZZ_CHECK(headers_end + 4 <= out.size());
  std::size_t at = 12;
  for (const auto& [name, value] : headers) {
    FUZZ_CHECK(at < headers_end);
    const std::size_t name_length = static_cast<unsigned char>(out[at]);
    FUZZ_CHECK(std::string_view(out).substr(at + 1, name_length) == name);
    at += 1 + name_length;
    FUZZ_CHECK(out[at] == 7);  // string value
    const std::size_t value_length = (std::size_t{static_cast<unsigned char>(out[at + 1])} << 8) |
                                     static_cast<unsigned char>(out[at + 2]);
    FUZZ_CHECK(std::string_view(out).substr(at + 3, value_length) == value);
    at += 3 + value_length;
  }
  FUZZ_CHECK(at == headers_end);
  FUZZ_CHECK(std::string_view(out).substr(headers_end, out.size() - 4 - headers_end) == payload);
  return 0;
}
