// Request bodies into nlohmann::json, the DOM the validators walk. simdjson tokenises a
// typical body in a tenth of the instructions nlohmann's lexer spends on it, so a body
// simdjson accepts is converted from its tree; anything simdjson refuses (malformed text, a
// byte-order mark, integers beyond 64 bits, very large bodies) goes through nlohmann's own
// parser, which owns every diagnostic. Either way the result is what nlohmann's parser gives.
#pragma once

#include <string_view>

#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// nlohmann::json::parse(body, nullptr, false): a discarded value when `body` is not JSON.
Json parse_json(std::string_view body);

}  // namespace bedrock::emulator::model::detail
