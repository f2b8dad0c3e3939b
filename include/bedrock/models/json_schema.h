// A bounded JSON Schema check for structured answers: the subset of keywords that decides whether
// an answer has the shape a caller asked for. Pure functions; thread-safe; no I/O.
//
// Checked: type (a name or an array of names; "integer" is a number without a fraction),
// properties, required, additionalProperties (false, or a schema for the extra members), items (a
// schema for every element), enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum
// (numbers), minLength, maxLength (in code points), minItems, maxItems, and the boolean schemas
// true / false. Every other keyword ($ref, allOf / anyOf / oneOf / not, pattern, format,
// prefixItems, dependencies, ...) is ignored: the check is never stricter than the schema, only
// sometimes laxer. Both documents nest at most kMaxSchemaDepth deep (instance and schema are
// walked together, so the walk never recurses deeper than that).
#pragma once

#include <cstddef>
#include <string_view>

#include "bedrock/core/result.h"

namespace bedrock::models {

inline constexpr std::size_t kMaxSchemaDepth = 64;

// Whether `instance_json` is JSON matching `schema_json`.
// Errors: SchemaMismatch when the instance is not JSON, nests too deep, or violates the schema;
// the message names the JSON pointer of the first violation ("/items/2/price: 3 is below the
// minimum 5"; "" is the whole document). Validation when the schema is not a JSON object or
// boolean, or nests too deep.
Status validate_json_schema(std::string_view instance_json, std::string_view schema_json);

}  // namespace bedrock::models
