#include "deep_body.h"

#include <fmt/format.h>

#include "bedrock/core/json_nesting.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

std::optional<Error> deep_body_error(std::string_view body) {
  if (!json_nesting_exceeds(body)) return std::nullopt;
  return validation_error(fmt::format(
      "Malformed input request: the JSON body nests deeper than {} levels, please reformat "
      "your input and try again.",
      kMaxJsonNesting));
}

}  // namespace bedrock::emulator::model::detail
