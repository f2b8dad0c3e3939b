#include "bedrock/core/json_text.h"

#include <array>
#include <charconv>

namespace bedrock {
namespace {

// Per byte: 0 copied as is, 'u' written as \u00XX, else the letter after a backslash.
// Everything below 0x20 is escaped, with the short forms nlohmann uses.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\t'] = 't';
  table['\n'] = 'n';
  table['\f'] = 'f';
  table['\r'] = 'r';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char escape = kEscapes[static_cast<unsigned char>(text[i])];
    if (escape == 0) continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    if (escape == 'u') {
      constexpr std::string_view kHex = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(text[i]);
      const char digits[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(digits, sizeof digits);
    } else {
      const char pair[] = {'\\', escape};
      out.append(pair, sizeof pair);
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

void append_json_number(std::string& out, int value) {
  char digits[16];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace bedrock
