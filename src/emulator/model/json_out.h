// Streaming JSON for the emulator's response bodies: members are appended straight to the
// output string in the order they are written. Building an ordered_json tree and dumping it
// cost more than parsing, validating and answering the request together (a node, a key
// string and a map slot per member); this writes the same bytes, nlohmann's serializer's
// escapes included, with one pass over each string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bedrock::emulator::model::detail {

class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}

  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  // A member name; the next call writes its value. Names are the renderers' literals, plain
  // ASCII with nothing to escape, so they are copied as they are (asserted in debug builds).
  JsonOut& key(std::string_view name);

  JsonOut& string(std::string_view text);
  JsonOut& number(std::int64_t value);
  JsonOut& null();
  // Already-serialised JSON, written as one value.
  JsonOut& raw(std::string_view json);

  JsonOut& member(std::string_view name, std::string_view text) { return key(name).string(text); }
  JsonOut& member(std::string_view name, const char* text) {
    return key(name).string(std::string_view(text));
  }
  JsonOut& member(std::string_view name, const std::string& text) { return key(name).string(text); }
  JsonOut& member(std::string_view name, std::int64_t value) { return key(name).number(value); }
  JsonOut& member(std::string_view name, int value) { return key(name).number(value); }

 private:
  void separate();

  std::string& out_;
  bool after_value_ = false;  // a ',' goes before the next member or element
};

// `text` as a JSON string literal, quotes included: escaped as nlohmann::json::dump() escapes
// (the shared writer, bedrock/core/json_text.h), and invalid UTF-8 replaced by U+FFFD as dump()
// does with error_handler_t::replace, which that writer does not handle.
void append_json_string(std::string& out, std::string_view text);

}  // namespace bedrock::emulator::model::detail
