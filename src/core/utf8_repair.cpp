#include "bedrock/core/utf8_repair.h"

#include <cstdint>

#include "bedrock/core/utf8.h"

namespace bedrock {
namespace {

// Length of the valid sequence starting at s[i], or 0 when none starts there.
std::size_t valid_sequence_at(const unsigned char* s, std::size_t n, std::size_t i) {
  const unsigned char c = s[i];
  if (c < 0x80) return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > n) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  const bool overlong =
      (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return len;
}

}  // namespace

std::string replace_invalid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::string out;
  out.reserve(n + 8);
  std::size_t i = 0;
  while (i < n) {
    const std::size_t len = valid_sequence_at(s, n, i);
    if (len > 0) {
      out.append(text.data() + i, len);
      i += len;
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
