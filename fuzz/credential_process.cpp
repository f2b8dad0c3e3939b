// What a credential_process command prints (and the container/IMDS JSON documents, parsed by
// the same function): a JSON credential document from another program. The input's first byte
// picks the document shape; the rest is the document. Property: an accepted Expiration lands
// in the year it names (give or take a UTC offset), so a far-future date is never read as a
// past one.
#include <charconv>
#include <chrono>

#include "bedrock/core/saturating_time.h"
#include "credentials/credential_support.h"
#include "fuzz_check.h"
#include "nlohmann/json.hpp"

namespace {

std::optional<int> named_year(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  auto it = doc.find("Expiration");
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  const std::string text = it->get<std::string>();
  int year = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + std::min<std::size_t>(4, text.size()), year);
  if (ec != std::errc() || end != text.data() + 4) return std::nullopt;
  return year;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  bedrock::credentials::cred_detail::JsonCredentialShape shape;
  if ((data[0] & 1) != 0) shape.token_field = "SessionToken";  // credential_process
  shape.token_required = (data[0] & 2) != 0;
  shape.expiration_required = (data[0] & 4) != 0;
  const std::string_view body = bedrock::fuzz::as_text(data + 1, size - 1);
  auto credentials = bedrock::credentials::cred_detail::credentials_from_json(
      body, shape, "the command", "process");
  if (!credentials) return 0;
  FUZZ_CHECK(!credentials->access_key_id.empty() && !credentials->secret_access_key.empty());
  FUZZ_CHECK(!shape.token_required || !credentials->session_token.empty());
  FUZZ_CHECK(!shape.expiration_required || credentials->expiration.has_value());
  if (credentials->expiration) {
    const auto days = std::chrono::floor<std::chrono::days>(
        std::chrono::time_point_cast<std::chrono::seconds>(*credentials->expiration));
    const int year = static_cast<int>(std::chrono::year_month_day(days).year());
    // A year past the clock's range (about 1678-2261) is clamped, never wrapped to the past.
    const bool clamped = *credentials->expiration == bedrock::far_future_wall_time() ||
                         *credentials->expiration == bedrock::far_past_wall_time();
    if (auto named = named_year(body)) {
      FUZZ_CHECK((year >= *named - 1 && year <= *named + 1) || clamped);
      FUZZ_CHECK(*named < 2262 || *credentials->expiration == bedrock::far_future_wall_time());
    }
  }
  return 0;
}
