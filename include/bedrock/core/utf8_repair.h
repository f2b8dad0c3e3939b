// Making text from outside safe to show and to dump as JSON: invalid UTF-8 replaced, and
// truncation that never splits a character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bedrock {

// `text` with every invalid sequence replaced by U+FFFD (one per invalid lead byte and the
// continuation bytes after it), so text from a peer can be dumped as JSON or shown.
std::string replace_invalid_utf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
// multi-byte character: truncating a message never leaves half a character behind.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace bedrock
