// Small URL and base64 helpers for request routing and API-key tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bedrock::emulator {

// Percent-decodes (and leaves '+' alone: paths are not form-encoded). nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text);

// Standard base64 (padding optional). nullopt on invalid characters.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace bedrock::emulator
