// The emulator's JSON conversion path: request bodies go through simdjson and are converted
// into nlohmann::json (src/emulator/model/json_read.cpp), falling back to nlohmann's parser.
// Property (differential): the result is exactly what nlohmann's own parser gives, discarded
// or not.
#include "emulator/model/json_read.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = bedrock::fuzz::as_text(data, size);
  const auto converted = bedrock::emulator::model::detail::parse_json(body);
  const auto reference = nlohmann::json::parse(body, nullptr, false);
  FUZZ_CHECK(converted.is_discarded() == reference.is_discarded());
  if (!reference.is_discarded()) FUZZ_CHECK(converted == reference);
  return 0;
}
