// A model family's InvokeModel response decoder (the client's codec): the body a server sent.
// Built once per family, with BEDROCK_FUZZ_FAMILY naming it. Properties: decode() never throws
// or crashes; a decoded completion's text is
// valid UTF-8 when the body was (the body is JSON, so its strings are).
#include "bedrock/core/utf8.h"
#include "bedrock/models/codec.h"
#include "fuzz_check.h"

#ifndef BEDROCK_FUZZ_FAMILY
#error "BEDROCK_FUZZ_FAMILY must name a model family"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto family = bedrock::models::family_from_string(BEDROCK_FUZZ_FAMILY);
  FUZZ_CHECK(family.has_value());
  static const auto& codec = bedrock::models::codec_for(*family);
  const std::string_view body = bedrock::fuzz::as_text(data, size);
  auto completion = codec.decode(body);
  if (completion && bedrock::is_valid_utf8(body)) {
    FUZZ_CHECK(bedrock::is_valid_utf8(completion->text));
  }
  return 0;
}
