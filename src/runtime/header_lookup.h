// Case-insensitive header lookup for the runtime's pure parts, so the classifier does not
// depend on the HTTP library's implementation being linked.
#pragma once

#include <optional>
#include <string_view>

#include "bedrock/http/transport.h"

namespace bedrock::runtime {

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

inline std::optional<std::string_view> header_value(const http::Headers& headers,
                                                    std::string_view name) {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

}  // namespace bedrock::runtime
