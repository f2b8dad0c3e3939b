// ISO-8601 timestamps as AWS credential sources send them ("2024-01-15T13:00:00Z",
// fractional seconds and "+hh:mm" offsets accepted). Private to bedrock_credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bedrock/core/clock.h"

namespace bedrock::credentials::cred_detail {

// nullopt when the text is not a complete date-time with a zone (Z or +hh:mm / -hh:mm).
std::optional<WallTime> parse_iso8601(std::string_view text);

// "2024-01-15T13:00:00Z" (whole seconds, UTC).
std::string format_iso8601(WallTime time);

}  // namespace bedrock::credentials::cred_detail
