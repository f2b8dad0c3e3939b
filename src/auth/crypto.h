// Thin OpenSSL wrappers for the hashes SigV4 needs. Private to bedrock_auth.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bedrock::auth::detail {

// Raw 32-byte SHA-256 digest.
std::string sha256_raw(std::string_view bytes);

// Lower-case hex of the SHA-256 digest, without an intermediate raw string.
std::string sha256_hex(std::string_view bytes);

// Raw 32-byte HMAC-SHA256.
std::string hmac_sha256(std::string_view key, std::string_view message);

// The lower-case hex forms written into a caller's 64-byte buffer (the per-request path).
inline constexpr std::size_t kHexDigestSize = 64;
void sha256_hex_into(std::string_view bytes, char* hex);
void hmac_sha256_hex_into(std::string_view key, std::string_view message, char* hex);

// Lower-case hex of arbitrary bytes.
std::string to_hex(std::string_view bytes);

// Compares two byte strings in time independent of where they differ (length may leak).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace bedrock::auth::detail
