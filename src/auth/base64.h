// Standard (RFC 4648 §4) base64 with padding. Private to bedrock_auth.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bedrock::auth::detail {

std::string base64_encode(std::string_view bytes);

// Strict: padded length, standard alphabet, no whitespace; nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace bedrock::auth::detail
