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

}  // namespace bedrock
