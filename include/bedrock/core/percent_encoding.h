// Percent-encoding with RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) and upper-case hex:
// the form SigV4 canonical URIs, Bedrock request paths and STS query bodies all use, and the
// two decodings the tree needs (strict for routing, lenient for SigV4 canonicalisation).
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bedrock {

// Appends `bytes` with every byte outside the unreserved set written as %XX; '/' stays
// literal when `keep_slash` is set.
void append_percent_encoded(std::string& out, std::string_view bytes, bool keep_slash);

inline std::string percent_encoded(std::string_view bytes, bool keep_slash = false) {
  std::string out;
  append_percent_encoded(out, bytes, keep_slash);
  return out;
}

// The byte that the escape starting at text[at] stands for, when text[at] is '%' followed by
// two hex digits (either case); nullopt otherwise.
std::optional<char> percent_escape_at(std::string_view text, std::size_t at);

// Decodes %XX escapes (either hex case); '+' stays '+' (this is not form decoding). nullopt
// when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

// Decodes %XX escapes, keeping a '%' not followed by two hex digits as a literal '%', which
// the encoder then turns into %25: how aws-c-auth canonicalises a query it did not encode.
std::string percent_decode_lenient(std::string_view text);

}  // namespace bedrock
