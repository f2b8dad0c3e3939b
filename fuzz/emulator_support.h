// Shared by the emulator's fuzz targets: raw request bytes through the same Beast parser
// settings as the server's sessions, and the checks every reply must pass whatever came in.
#pragma once

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <optional>
#include <sstream>

#include "emulator/service.h"
#include "fuzz_check.h"

namespace bedrock::fuzz {

inline constexpr std::uint64_t kEmulatorMaxBody = 25'000'000;  // ServerOptions::max_body_bytes

// The request the server would hand to its handler, or nullopt when Beast rejects the bytes
// (the server then closes the connection without calling any handler).
inline std::optional<emulator::HttpRequest> parse_request(std::string_view bytes) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.body_limit(kEmulatorMaxBody);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec && ec != http::error::need_more) return std::nullopt;
  (void)used;
  if (!parser.is_done()) {
    // Beast asserts on an end of input before any byte; the server just closes then.
    if (!parser.got_some()) return std::nullopt;
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return std::nullopt;
  }
  return parser.release();
}

inline std::string_view to_std(boost::beast::string_view view) {
  return {view.data(), view.size()};
}

// A reply must be writable as HTTP without letting request bytes split its head (CR/LF in a
// header value), and its body must match the Content-Length it announces.
inline void check_reply(emulator::Reply& reply) {
  auto& response = reply.response;
  for (const auto& field : response) {
    const auto value = to_std(field.value());
    FUZZ_CHECK(value.find_first_of("\r\n") == std::string_view::npos);
    const auto name = to_std(field.name_string());
    FUZZ_CHECK(name.find_first_of("\r\n: ") == std::string_view::npos);
  }
  if (auto it = response.find(boost::beast::http::field::content_length); it != response.end()) {
    std::uint64_t length = 0;
    const auto text = to_std(it->value());
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
    FUZZ_CHECK(ec == std::errc() && end == text.data() + text.size());
    FUZZ_CHECK(length == response.body().size());
  }
  response.prepare_payload();
  std::ostringstream wire;
  wire << response;
  FUZZ_CHECK(wire.str().size() >= response.body().size());
}

}  // namespace bedrock::fuzz
