// Converse answers carry most of the server's and the CLI's traffic, and nearly all of them are
// plain text: this reads that shape with simdjson and no DOM. Anything else (tool use,
// reasoning, extra fields, an unusual usage spelling, a malformed body) gives nullopt and the
// full reader (decode_converse_full), which owns every diagnostic, takes the body; tests and a
// fuzz target hold the two to the same answer.
#pragma once

#include <optional>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/types.h"

namespace bedrock::models::detail {

std::optional<Completion> decode_converse_fast(std::string_view body);
Result<Completion> decode_converse_full(std::string_view body);

}  // namespace bedrock::models::detail
