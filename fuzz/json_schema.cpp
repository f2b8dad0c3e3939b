// The structured-output check (models::validate_json_schema): both of its inputs come from
// outside, the schema from a caller's file and the instance from a model's answer. Input: schema,
// a NUL byte, instance (no NUL: the whole input is both). Properties: no crash, no recursion past
// the depth limit, and a failure is only ever SchemaMismatch (the answer) or Validation (the
// schema), the same on a second run.
#include "bedrock/models/json_schema.h"

#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  const auto nul = text.find('\0');
  const std::string_view schema = nul == std::string_view::npos ? text : text.substr(0, nul);
  const std::string_view instance = nul == std::string_view::npos ? text : text.substr(nul + 1);
  const auto first = bedrock::models::validate_json_schema(instance, schema);
  if (!first) {
    const auto code = first.error().code;
    FUZZ_CHECK(code == bedrock::ErrorCode::SchemaMismatch ||
               code == bedrock::ErrorCode::Validation);
  }
  const auto second = bedrock::models::validate_json_schema(instance, schema);
  FUZZ_CHECK(first.has_value() == second.has_value());
  return 0;
}
