#include "bedrock/auth/bearer.h"

#include <fmt/format.h>

#include <cctype>

#include "bedrock/core/ascii.h"
#include "bedrock/core/base64.h"

namespace bedrock::auth {
namespace {

constexpr std::string_view kTokenUrl = "https://bedrock.amazonaws.com/?Action=CallWithBearerToken";
constexpr std::string_view kVersionSuffix = "&Version=1";

tl::unexpected<Error> invalid_key(std::string_view what) {
  return fail(ErrorCode::InvalidSignature, fmt::format("short-term Bedrock API key: {}", what));
}

}  // namespace

Status validate_bearer_token(std::string_view token) {
  if (token.empty()) return fail(ErrorCode::ConfigurationInvalid, "the bearer token is empty");
  for (size_t i = 0; i < token.size(); ++i) {
    auto c = static_cast<unsigned char>(token[i]);
    if (c < 0x21 || c > 0x7e) {
      // The position helps find a pasted newline; the token itself is never echoed.
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("the bearer token has an invalid character (byte 0x{:02x} at "
                              "offset {}); API keys are visible ASCII without spaces",
                              c, i));
    }
  }
  return {};
}

Status apply_bearer(http::Request& request, std::string_view token) {
  if (auto ok = validate_bearer_token(token); !ok) return ok;
  std::erase_if(request.headers,
                [](const auto& header) { return iequals_ascii(header.first, "Authorization"); });
  request.headers.emplace_back("Authorization", fmt::format("Bearer {}", token));
  return {};
}

bool is_short_term_key(std::string_view token) {
  return token.substr(0, kShortTermKeyPrefix.size()) == kShortTermKeyPrefix;
}

Result<std::string> make_short_term_key(const Credentials& credentials, std::string_view region,
                                        WallTime now, std::chrono::seconds lifetime) {
  if (region.empty()) return fail(ErrorCode::Validation, "a short-term API key needs a region");
  if (lifetime > std::chrono::hours(12)) {
    return fail(ErrorCode::Validation, "short-term API keys live at most 12 hours (43200 s)");
  }
  sigv4::SigningParams params;
  params.region = std::string(region);
  params.service = "bedrock";
  params.time = now;
  auto url = sigv4::presign_url("POST", kTokenUrl, credentials, params, lifetime);
  if (!url) return fail(url.error());
  std::string payload = url->substr(std::string_view("https://").size());
  payload.append(kVersionSuffix);
  return std::string(kShortTermKeyPrefix) + base64_encode(payload);
}

Result<ShortTermKey> decode_short_term_key(std::string_view token) {
  if (!is_short_term_key(token)) return invalid_key("missing the bedrock-api-key- prefix");
  auto payload = base64_decode(token.substr(kShortTermKeyPrefix.size()));
  if (!payload) return invalid_key("not valid base64");
  for (char c : *payload) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) return invalid_key("decoded URL contains non-URL bytes");
  }

  ShortTermKey key;
  key.presigned_url = "https://" + *payload;
  auto query = sigv4::parse_presigned_url(key.presigned_url);
  if (!query) return invalid_key(query.error().message);
  key.query = std::move(*query);
  if (key.query.service != "bedrock") return invalid_key("scope service is not bedrock");
  if (key.query.path != "/" ||
      key.query.signed_query.rfind("Action=CallWithBearerToken&", 0) != 0) {
    return invalid_key("not a CallWithBearerToken presign");
  }

  size_t version = key.presigned_url.rfind("&Version=");
  if (version == std::string::npos) return invalid_key("missing Version");
  std::string_view digits = std::string_view(key.presigned_url).substr(version + 9);
  if (digits.empty() || digits.size() > 3 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return invalid_key("Version must be a small integer");
  }
  key.version = std::stoi(std::string(digits));
  return key;
}

Status verify_short_term_key(const ShortTermKey& key, std::string_view secret_access_key,
                             WallTime now, std::chrono::seconds max_clock_skew) {
  return sigv4::verify_presigned(key.query, "POST", secret_access_key, now, max_clock_skew);
}

}  // namespace bedrock::auth
