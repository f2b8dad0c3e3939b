// Appending JSON text directly to a body string. The hot request path (one body per call)
// builds bodies this way instead of through a DOM; the output is byte-for-byte what
// nlohmann::json::dump() would print for the same values, so golden bodies stay valid.
#pragma once

#include <string>
#include <string_view>

namespace bedrock::models::detail {

// `text` as a JSON string literal, quotes included. `text` must be valid UTF-8 (validated by
// the codecs beforehand); non-ASCII bytes are copied as they are.
void append_json_string(std::string& out, std::string_view text);

// `value` as nlohmann prints a double (shortest round-trip form, "1.0" for integral values).
void append_json_number(std::string& out, double value);

void append_json_number(std::string& out, int value);

}  // namespace bedrock::models::detail
