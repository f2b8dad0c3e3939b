// If-None-Match headers for the web page's files (server::page::etag_matches). Properties: no
// crash on any bytes; "*" and the tag itself, alone, weak, or anywhere in a list, match; a
// header without the tag's text never matches.
#include <string>

#include "fuzz_check.h"
#include "server/page/etag.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bedrock::server::page::etag_matches;
  const std::string_view header = bedrock::fuzz::as_text(data, size);
  const std::string_view etag = "\"0123abcd\"";
  const bool matched = etag_matches(header, etag);
  if (header != "*" && header.find(etag) == std::string_view::npos) FUZZ_CHECK(!matched);
  FUZZ_CHECK(etag_matches(std::string(header) + ", " + std::string(etag), etag));
  FUZZ_CHECK(etag_matches("W/" + std::string(etag) + "," + std::string(header), etag));
  FUZZ_CHECK(!etag_matches(header, ""));
  return 0;
}
