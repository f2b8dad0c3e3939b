// Conditional GETs for the page's files: whether a request's If-None-Match names an ETag.
#pragma once

#include <string_view>

namespace bedrock::server::page {

// `header` is If-None-Match as sent: "*", or a comma-separated list of entity tags, each maybe
// weak ("W/"), with optional spaces (RFC 9110 §13.1.2: weak comparison). `etag` is quoted;
// an empty one never matches.
// Anything malformed simply does not match.
bool etag_matches(std::string_view header, std::string_view etag);

}  // namespace bedrock::server::page
