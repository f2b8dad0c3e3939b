// GET /v1/jobs's query string (status, limit, cursor). Properties: any target is read into a
// ListQuery within the API's bounds or refused with a 400 naming one of the three parameters,
// never anything else; and a value percent-encoded into a query string decodes back to itself.
#include <string>

#include "fuzz_check.h"
#include "server/jobs/list_query.h"

namespace {

std::string percent_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace jobs = bedrock::server::jobs;
  const std::string_view text = bedrock::fuzz::as_text(data, size);

  auto query = jobs::read_list_query(text);
  if (query) {
    FUZZ_CHECK(query->limit >= 1 && query->limit <= 1000);
  } else {
    const auto& e = query.error();
    FUZZ_CHECK(e.status == 400);
    FUZZ_CHECK(e.param == "status" || e.param == "limit" || e.param == "cursor");
    FUZZ_CHECK(!e.message.empty());
  }
  if (auto status = jobs::query_value(text, "status"); status) {
    FUZZ_CHECK(status->size() <= text.size());
  }

  const std::string target = "/v1/jobs?limit=5&cursor=" + percent_encode(text) + "&cursor=x";
  auto cursor = jobs::query_value(target, "cursor");
  FUZZ_CHECK(cursor && *cursor == text);
  auto round = jobs::read_list_query(target);
  FUZZ_CHECK(round && round->after == text && round->limit == 5 && !round->state);
  return 0;
}
