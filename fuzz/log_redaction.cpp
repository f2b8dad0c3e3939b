// Log redaction (every log line and the emulator's prompts pass through redact()): any text.
// Properties: a registered secret never survives, and an Authorization header line appended
// after the text always loses its value.
#include "bedrock/core/log.h"
#include "fuzz_check.h"

namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSignature =
    "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool registered = (bedrock::register_secret(kSecret), true);
  (void)registered;
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  FUZZ_CHECK(bedrock::redact(text).find(kSecret) == std::string::npos);
  const std::string line = std::string(text) +
                           "\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/"
                           "us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=" +
                           std::string(kSignature);
  FUZZ_CHECK(count(bedrock::redact(line), kSignature) <= count(text, kSignature));
  return 0;
}
