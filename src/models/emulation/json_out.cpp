#include "json_out.h"

#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "bedrock/core/utf8.h"

namespace bedrock::models::emulation::detail {
namespace {

// 0: copied as is; 'u': \u00XX; anything else: the letter after the backslash.
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
  bool ascii = true;
  for (unsigned char c : text) ascii &= c < 0x80;
  if (!ascii && !is_valid_utf8(text)) {
    // Rare (answers cut from caller text): nlohmann's own replacement rules, so the bytes do
    // not depend on which path wrote them.
    out += nlohmann::json(std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char escape = kEscapes[static_cast<unsigned char>(text[i])];
    if (escape == 0) continue;
    out.append(text, run, i - run);
    run = i + 1;
    if (escape == 'u') {
      constexpr std::string_view kHex = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(text[i]);
      out.append("\\u00");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back('\\');
      out.push_back(escape);
    }
  }
  out.append(text, run, text.size() - run);
  out.push_back('"');
}

void JsonOut::separate() {
  if (after_value_) out_.push_back(',');
}

JsonOut& JsonOut::begin_object() {
  separate();
  out_.push_back('{');
  after_value_ = false;
  return *this;
}

JsonOut& JsonOut::end_object() {
  out_.push_back('}');
  after_value_ = true;
  return *this;
}

JsonOut& JsonOut::begin_array() {
  separate();
  out_.push_back('[');
  after_value_ = false;
  return *this;
}

JsonOut& JsonOut::end_array() {
  out_.push_back(']');
  after_value_ = true;
  return *this;
}

JsonOut& JsonOut::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_.push_back(':');
  after_value_ = false;
  return *this;
}

JsonOut& JsonOut::string(std::string_view text) {
  separate();
  append_json_string(out_, text);
  after_value_ = true;
  return *this;
}

JsonOut& JsonOut::number(std::int64_t value) {
  separate();
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  out_.append(digits.data(), end);
  after_value_ = true;
  return *this;
}

JsonOut& JsonOut::null() {
  separate();
  out_.append("null");
  after_value_ = true;
  return *this;
}

JsonOut& JsonOut::raw(std::string_view json) {
  separate();
  out_.append(json);
  after_value_ = true;
  return *this;
}

}  // namespace bedrock::models::emulation::detail
