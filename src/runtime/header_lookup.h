// Case-insensitive header lookup for the runtime's pure parts, so the classifier does not
// depend on the HTTP library's implementation being linked.
#pragma once

#include <optional>
#include <string_view>

#include "bedrock/core/ascii.h"
#include "bedrock/http/transport.h"

namespace bedrock::runtime {

inline std::optional<std::string_view> header_value(const http::Headers& headers,
                                                    std::string_view name) {
  for (const auto& [k, v] : headers)
    if (iequals_ascii(k, name)) return std::string_view(v);
  return std::nullopt;
}

}  // namespace bedrock::runtime
