// Percent-encoding with RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) and upper-case hex:
// the form both SigV4 canonical URIs and Bedrock request paths use.
#pragma once

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

}  // namespace bedrock
