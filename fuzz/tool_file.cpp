// `invoke --tools FILE.json`: the tool-definition file a user hands the CLI (cli::parse_tool_file).
// Properties: no crash on any bytes, a refusal is a Validation error with a message, and every
// tool accepted has an input schema that is a JSON object (names are the encoder's to check).
#include <nlohmann/json.hpp>

#include "cli/attachments.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  auto parsed = bedrock::cli::parse_tool_file(text);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().code == bedrock::ErrorCode::Validation);
    FUZZ_CHECK(!parsed.error().message.empty());
    return 0;
  }
  for (const auto& tool : parsed->tools) {
    const auto schema = nlohmann::json::parse(tool.input_schema_json, nullptr, false);
    FUZZ_CHECK(schema.is_object());
  }
  return 0;
}
