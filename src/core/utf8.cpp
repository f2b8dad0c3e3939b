#include "bedrock/core/utf8.h"

namespace bedrock {

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const Utf8Char c = decode_utf8_at(s, n, i);
    if (!c.valid) return i;
    i += c.len;
  }
  return std::nullopt;
}

}  // namespace bedrock
