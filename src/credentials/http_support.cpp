#include "http_support.h"

#include <fmt/format.h>

#include "bedrock/core/utf8_repair.h"

namespace bedrock::credentials::cred_detail {

http::CallOptions bounded_call(std::chrono::milliseconds timeout) {
  http::CallOptions options;
  options.connect_timeout = timeout;
  options.read_timeout = timeout;
  options.deadline = std::chrono::steady_clock::now() + timeout;
  return options;
}

std::string snippet(std::string_view body, size_t max) {
  std::string out;
  // Cut between characters and repaired: the snippet goes into messages that are shown and
  // dumped as JSON.
  for (char c : replace_invalid_utf8(utf8_prefix(body, max))) {
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  if (body.size() > max) out += "...";
  return out;
}

std::string describe_duration(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{} s", d.count() / 1000);
  return fmt::format("{} ms", d.count());
}

}  // namespace bedrock::credentials::cred_detail
