// Strict UTF-8 validation (no overlong forms, no surrogates, nothing past U+10FFFF): what
// nlohmann::json accepts when dumping and what Bedrock accepts in a body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bedrock {

struct Utf8Char {
  char32_t cp = 0;       // the code point, or the lead byte when not valid
  std::uint8_t len = 1;  // bytes it takes: 1 when not valid, so a scan always advances
  bool valid = true;
};

// Decodes the character starting at s[i] (i < n). An invalid or truncated sequence, an
// overlong form, a surrogate or a value past U+10FFFF decodes as one invalid byte. Inline:
// the chunker and the token estimator run it once per character.
inline Utf8Char decode_utf8_at(const unsigned char* s, std::size_t n, std::size_t i) {
  const unsigned char c = s[i];
  if (c < 0x80) return {c, 1, true};
  std::uint8_t len;
  char32_t cp;
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
    return {c, 1, false};
  }
  if (i + len > n) return {c, 1, false};
  for (std::uint8_t k = 1; k < len; ++k) {
    const unsigned char b = s[i + k];
    if ((b & 0xC0) != 0x80) return {c, 1, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  const bool overlong =
      (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return {c, 1, false};
  return {cp, len, true};
}

// Byte offset of the first invalid sequence, or nullopt when `text` is valid UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text); }

}  // namespace bedrock
