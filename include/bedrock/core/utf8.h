// Strict UTF-8 validation (no overlong forms, no surrogates, nothing past U+10FFFF): what
// nlohmann::json accepts when dumping and what Bedrock accepts in a body.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bedrock {

// Byte offset of the first invalid sequence, or nullopt when `text` is valid UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text); }

// `text` with every invalid sequence replaced by U+FFFD (one per maximal invalid prefix, as
// nlohmann's error_handler_t::replace does), so text from a peer can be dumped as JSON or shown.
std::string replace_invalid_utf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
// multi-byte character: truncating a message never leaves half a character behind.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace bedrock
