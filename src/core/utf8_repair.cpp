#include "bedrock/core/utf8_repair.h"

#include <cstdint>

#include "bedrock/core/utf8.h"

namespace bedrock {
std::string replace_invalid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::string out;
  out.reserve(n + 8);
  std::size_t i = 0;
  while (i < n) {
    const Utf8Char ch = decode_utf8_at(s, n, i);
    if (ch.valid) {
      out.append(text.data() + i, ch.len);
      i += ch.len;
      continue;
    }
    out += "\xEF\xBF\xBD";
    // Skip the lead byte and the continuation bytes that follow it.
    ++i;
    while (i < n && (s[i] & 0xC0) == 0x80) ++i;
  }
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Back up over continuation bytes to the start of the character the cut falls in; if that
  // character would end past the cut, leave it out whole.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80 && max_bytes - end < 3) {
    --end;
  }
  return text.substr(0, end);
}

}  // namespace bedrock
