// Text that came from outside (request paths, headers, model ids) on its way into JSON the
// emulator writes: nlohmann's dump() throws on bytes that are not UTF-8, and a hand-built
// body would be invalid JSON for every client, so such bytes become U+FFFD first.
#pragma once

#include <string>
#include <string_view>

namespace bedrock::emulator {

// `text` with each byte that does not start a valid UTF-8 sequence replaced by U+FFFD
// (what nlohmann's error_handler_t::replace does). Linear; valid text comes back unchanged.
std::string valid_utf8(std::string_view text);

}  // namespace bedrock::emulator
