#include "bedrock/core/percent_encoding.h"

#include <array>

namespace bedrock {
namespace {

constexpr std::array<bool, 256> kUnreserved = [] {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (char c : {'-', '.', '_', '~'}) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void append_percent_encoded(std::string& out, std::string_view bytes, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  // Sized for the worst case and written through a pointer: a model id or request path is
  // encoded on every call, and per-byte push_back showed in the client profile.
  const std::size_t start = out.size();
  out.resize(start + 3 * bytes.size());
  char* p = out.data() + start;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (kUnreserved[c] || (keep_slash && c == '/')) {
      *p++ = ch;
    } else {
      *p++ = '%';
      *p++ = kDigits[c >> 4];
      *p++ = kDigits[c & 0x0F];
    }
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

std::optional<char> percent_escape_at(std::string_view text, std::size_t at) {
  if (at + 2 >= text.size() || text[at] != '%') return std::nullopt;
  const int hi = hex_value(text[at + 1]);
  const int lo = hex_value(text[at + 2]);
  if (hi < 0 || lo < 0) return std::nullopt;
  return static_cast<char>(hi * 16 + lo);
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const auto byte = percent_escape_at(text, i);
    if (!byte) return std::nullopt;
    out.push_back(*byte);
    i += 2;
  }
  return out;
}

std::string percent_decode_lenient(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (const auto byte = percent_escape_at(text, i)) {
      out.push_back(*byte);
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace bedrock
