// Strict UTF-8 validation (no overlong forms, no surrogates, nothing past U+10FFFF): what
// nlohmann::json accepts when dumping and what Bedrock accepts in a body.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace bedrock {

// Byte offset of the first invalid sequence, or nullopt when `text` is valid UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text); }

}  // namespace bedrock
