// The ValidationException for a body nested deeper than bedrock::kMaxJsonNesting, checked on
// the text before any parser builds a tree that would be converted or dumped recursively.
#pragma once

#include <optional>
#include <string_view>

#include "bedrock/core/error.h"

namespace bedrock::emulator::model::detail {

// nullopt when `body` nests within the limit (or is not JSON at all: the parser reports that).
std::optional<Error> deep_body_error(std::string_view body);

}  // namespace bedrock::emulator::model::detail
