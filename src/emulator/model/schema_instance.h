// A value that fits a JSON schema, for the emulator's deterministic tool calls and structured
// output answers: every required property set, with a value of its type.
#pragma once

#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// An instance of `schema`: "const" or the first "enum" value when there is one; the first
// alternative of "anyOf" / "oneOf"; an object with each "required" property (a string when
// the property has no schema); an array of "minItems" items (at most 3); "example", 1, 1.5,
// true or null by "type" (the first of a list). Objects and arrays below kMaxDepth levels are
// left empty, so a hostile schema costs a bounded walk. `given` (an object or null) supplies
// values for the top level's properties, kept as given.
inline constexpr int kMaxSchemaInstanceDepth = 6;
Json schema_instance(const Json& schema, const Json& given = Json());

// Whether `value` satisfies `schema` as far as schema_instance reads schemas: types, enum,
// const, required properties, minItems, nested the same depth. For tests and for checking
// fixture inputs.
bool fits_schema(const Json& value, const Json& schema);

}  // namespace bedrock::emulator::model::detail
