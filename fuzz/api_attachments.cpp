// The /api/ bodies' "attachments" (base64 files read into image and document blocks), through
// the summarize and product readers. Properties: any JSON object is accepted with attachments
// within Bedrock's limits (counts, sizes, non-empty bytes, valid and unique document names) or
// refused with a 400/413 naming a field the body has, never anything else.
#include <nlohmann/json.hpp>
#include <string>

#include "bedrock/core/json_nesting.h"
#include "fuzz_check.h"
#include "server/api/api_inputs.h"

namespace {

void check_accepted(const bedrock::content::Attachments& a) {
  FUZZ_CHECK(bedrock::content::check_attachments(a));
  FUZZ_CHECK(a.images.size() <= bedrock::models::kMaxImagesPerRequest);
  FUZZ_CHECK(a.documents.size() <= bedrock::models::kMaxDocumentsPerRequest);
}

template <typename R>
void check(const R& r) {
  if (r) return;
  const auto& e = r.error();
  FUZZ_CHECK(e.status == 400 || e.status == 413);
  FUZZ_CHECK(!e.message.empty());
  FUZZ_CHECK(!e.param.empty());
  // A 413 is a file over its limit, named by its data field.
  if (e.status == 413) FUZZ_CHECK(e.param.rfind("attachments[", 0) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace api = bedrock::server::api;
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  if (bedrock::json_nesting_exceeds(text)) return 0;
  const auto body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return 0;

  auto attachments = api::read_attachments(body);
  check(attachments);
  if (attachments) check_accepted(*attachments);
  auto summary = api::read_summarize(body);
  check(summary);
  if (summary) check_accepted(summary->input.attachments);
  auto product = api::read_product(body);
  check(product);
  if (product) {
    check_accepted(product->input.attachments);
    FUZZ_CHECK(!product->input.features.empty() || !product->input.attachments.empty());
  }
  return 0;
}
