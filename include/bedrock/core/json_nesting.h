// A cheap guard against JSON nested deeply enough to exhaust the stack. nlohmann's dump(),
// copies and conversions recurse once per level, so text from a peer (a response, an error
// body, a credential helper's output) is checked with this before it is parsed.
#pragma once

#include <cstddef>
#include <string_view>

namespace bedrock {

// Deeper than any document Bedrock, STS, IMDS or a credential helper sends (tool-use inputs
// included), shallow enough for every recursive walk over the parsed value.
inline constexpr std::size_t kMaxJsonNesting = 256;

// Whether arrays and objects in `text` nest at most `max_depth` levels. One linear pass that
// skips strings (escapes included) and stops at the first level past the limit; it does not
// validate the JSON, the parser does that.
bool json_nesting_within(std::string_view text, std::size_t max_depth = kMaxJsonNesting);

}  // namespace bedrock
