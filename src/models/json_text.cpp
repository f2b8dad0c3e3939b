#include "json_text.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace bedrock::models::detail {
namespace {

// Bytes below 0x20 with a short escape; the rest of them become \u00XX, as in nlohmann.
char short_escape(unsigned char c) {
  switch (c) {
    case '\b':
      return 'b';
    case '\f':
      return 'f';
    case '\n':
      return 'n';
    case '\r':
      return 'r';
    case '\t':
      return 't';
    default:
      return 0;
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (const char e = short_escape(c); e != 0) {
      out.push_back('\\');
      out.push_back(e);
    } else {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

void append_json_number(std::string& out, double value) {
  // Doubles are rare in a body (temperature, top_p) and their exact spelling matters to
  // golden tests, so nlohmann's own serializer prints them.
  out += nlohmann::json(value).dump();
}

void append_json_number(std::string& out, int value) {
  char digits[16];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace bedrock::models::detail
