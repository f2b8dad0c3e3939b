// URL parsing (endpoint URLs come from config files, the environment and the command line)
// and percent-encoding. Properties: a parsed URL prints to text that parses back to the same
// URL, and decoding undoes encoding.
#include "bedrock/http/url.h"

#include "bedrock/core/percent_encoding.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  if (auto url = bedrock::http::parse_url(text)) {
    const std::string printed = url->str();
    auto again = bedrock::http::parse_url(printed);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->str() == printed);
    FUZZ_CHECK(again->port == url->port && again->host == url->host);
  }
  for (bool keep_slash : {false, true}) {
    const auto decoded = bedrock::percent_decode(bedrock::percent_encoded(text, keep_slash));
    FUZZ_CHECK(decoded.has_value() && *decoded == text);
  }
  (void)bedrock::percent_decode(text);
  (void)bedrock::percent_decode_lenient(text);
  return 0;
}
