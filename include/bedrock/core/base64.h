// Base64 (RFC 4648): the short-term API keys, the emulator's streamed chunks ({"bytes": ...})
// and the base64 bodies of CountTokens. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bedrock {

// Standard alphabet (§4), padded.
std::string base64_encode(std::string_view bytes);

// Strict: padded length, standard alphabet, no whitespace; nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view text);

// Lenient, for what clients send: padding optional (any trailing '=' ignored), the URL-safe
// alphabet's '-' and '_' (§5) accepted beside '+' and '/', and the bits of a trailing partial
// byte dropped. nullopt on any other character.
std::optional<std::string> base64_decode_lenient(std::string_view text);

}  // namespace bedrock
