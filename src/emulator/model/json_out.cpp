#include "json_out.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <nlohmann/json.hpp>

#include "bedrock/core/json_text.h"
#include "bedrock/core/utf8.h"

namespace bedrock::emulator::model::detail {

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
  bedrock::append_json_string(out, text);
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
  assert(std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  }));
  separate();
  out_.push_back('"');
  out_.append(name);
  out_.append("\":");
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

}  // namespace bedrock::emulator::model::detail
