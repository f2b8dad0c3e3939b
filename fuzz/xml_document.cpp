// The strict XML reader behind STS (AssumeRole, AssumeRoleWithWebIdentity) and IMDS-style
// responses: bytes from the network. Nesting is bounded by the reader, so no input may exhaust
// the stack.
#include "credentials/xml_document.h"

#include "fuzz_check.h"

namespace {

std::size_t count_elements(const bedrock::credentials::cred_detail::XmlElement& element,
                           int depth) {
  FUZZ_CHECK(depth <= 64);
  std::size_t n = 1;
  for (const auto& child : element.children) n += count_elements(child, depth + 1);
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto root = bedrock::credentials::cred_detail::parse_xml(bedrock::fuzz::as_text(data, size));
  if (!root) return 0;
  FUZZ_CHECK(count_elements(*root, 1) <= size);
  (void)root->find({"AssumeRoleResult", "Credentials", "SecretAccessKey"});
  return 0;
}
