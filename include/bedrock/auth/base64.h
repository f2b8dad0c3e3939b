// Standard (RFC 4648 §4) base64 with padding: the short-term API keys here, and the
// emulator's streamed chunks ({"bytes": ...}).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bedrock::auth {

std::string base64_encode(std::string_view bytes);

// Strict: padded length, standard alphabet, no whitespace; nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace bedrock::auth
