// Appending JSON text directly to a body string. Hot request paths (the Anthropic codec, the
// emulator's responses) build bodies this way instead of through a DOM; the output is
// byte-for-byte what nlohmann::json::dump() prints for the same values, so golden bodies stay
// valid. Doubles are not here: their shortest form is nlohmann's own algorithm, so callers
// that need one print it with nlohmann.
#pragma once

#include <string>
#include <string_view>

namespace bedrock {

// `text` as a JSON string literal, quotes included. `text` must be valid UTF-8 (validated by
// the codecs beforehand); non-ASCII bytes are copied as they are.
void append_json_string(std::string& out, std::string_view text);

void append_json_number(std::string& out, int value);

}  // namespace bedrock
