// How deeply a JSON text nests, found without parsing it: a linear scan over the bytes that
// tracks strings and escapes. nlohmann's dump(), copy and comparison recurse once per level,
// so text from outside is checked against a limit before it becomes a DOM that anything
// dumps (issue 11: 100,000 nested arrays ended the emulator).
#pragma once

#include <cstddef>
#include <string_view>

namespace bedrock {

// The limit the emulator applies to every JSON body it reads (Bedrock refuses deep bodies
// with a ValidationException; real requests nest a few levels, tool schemas a few dozen).
inline constexpr std::size_t kMaxJsonNesting = 128;

// Whether some '[' or '{' outside a string lies more than `max_depth` levels deep. Malformed
// text is scanned the same way (the parser reports it); never reads past `text`.
bool json_nesting_exceeds(std::string_view text, std::size_t max_depth = kMaxJsonNesting);

}  // namespace bedrock
