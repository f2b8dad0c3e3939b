// The client's Converse response decoder: the body a server sent. Properties: decode_converse()
// never throws or crashes; a decoded completion's text is valid UTF-8 when the body was (the
// body is JSON, so its strings are); whenever the simdjson shortcut reads a body, the full
// reader reads it too, to the same text, stop reason and usage.
#include "bedrock/core/utf8.h"
#include "bedrock/models/converse.h"
#include "fuzz_check.h"
#include "models/converse_fast_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = bedrock::fuzz::as_text(data, size);
  auto completion = bedrock::models::decode_converse(body);
  if (completion && bedrock::is_valid_utf8(body)) {
    FUZZ_CHECK(bedrock::is_valid_utf8(completion->text));
  }
  if (auto fast = bedrock::models::detail::decode_converse_fast(body)) {
    auto full = bedrock::models::detail::decode_converse_full(body);
    FUZZ_CHECK(full.has_value());
    FUZZ_CHECK(fast->text == full->text);
    FUZZ_CHECK(fast->raw_stop_reason == full->raw_stop_reason);
    FUZZ_CHECK(fast->usage.reported == full->usage.reported);
    FUZZ_CHECK(fast->usage.input_tokens == full->usage.input_tokens);
    FUZZ_CHECK(fast->usage.output_tokens == full->usage.output_tokens);
    FUZZ_CHECK(fast->usage.cache_read_input_tokens == full->usage.cache_read_input_tokens);
    FUZZ_CHECK(fast->usage.cache_write_input_tokens == full->usage.cache_write_input_tokens);
    FUZZ_CHECK(full->tool_calls.empty() && full->reasoning.empty());
  }
  return 0;
}
