// The client's Converse response decoder: the body a server sent. Properties: decode_converse()
// never throws or crashes; a decoded completion's text is
// valid UTF-8 when the body was (the body is JSON, so its strings are).
#include "bedrock/core/utf8.h"
#include "bedrock/models/converse.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = bedrock::fuzz::as_text(data, size);
  auto completion = bedrock::models::decode_converse(body);
  if (completion && bedrock::is_valid_utf8(body)) {
    FUZZ_CHECK(bedrock::is_valid_utf8(completion->text));
  }
  return 0;
}
