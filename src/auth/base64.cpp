#include "bedrock/auth/base64.h"

#include <cstdint>

namespace bedrock::auth {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int a = decode_char(text[i]);
    int b = decode_char(text[i + 1]);
    if (a < 0 || b < 0) return std::nullopt;
    bool pad3 = text[i + 2] == '=';
    bool pad4 = text[i + 3] == '=';
    if ((pad3 || pad4) && !last) return std::nullopt;
    if (pad3 && !pad4) return std::nullopt;
    int c = pad3 ? 0 : decode_char(text[i + 2]);
    int d = pad4 ? 0 : decode_char(text[i + 3]);
    if (c < 0 || d < 0) return std::nullopt;
    uint32_t n = (a << 18) | (b << 12) | (c << 6) | d;
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (!pad3) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (!pad4) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

}  // namespace bedrock::auth
