#include "credential_support.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "bedrock/core/json_nesting.h"
#include "bedrock/core/log.h"
#include "time_format.h"

namespace bedrock::credentials::cred_detail {

Result<Credentials> credentials_from_json(std::string_view body, const JsonCredentialShape& shape,
                                          std::string_view what, std::string source) {
  if (json_nesting_exceeds(body)) {
    return fail(
        ErrorCode::InvalidResponse,
        fmt::format("{} returned JSON nested deeper than {} levels", what, kMaxJsonNesting));
  }
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return fail(ErrorCode::InvalidResponse, fmt::format("{} did not return JSON", what));
  }
  if (!doc.is_object()) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} returned JSON that is not an object", what));
  }
  auto text = [&](std::string_view field, bool required) -> Result<std::string> {
    auto it = doc.find(field);
    if (it == doc.end() || it->is_null()) {
      if (!required) return std::string();
      return fail(ErrorCode::InvalidResponse,
                  fmt::format("{} returned credentials without {}", what, field));
    }
    if (!it->is_string()) {
      return fail(ErrorCode::InvalidResponse,
                  fmt::format("{} returned a non-string {}", what, field));
    }
    std::string value = it->get<std::string>();
    if (value.empty() && required) {
      return fail(ErrorCode::InvalidResponse, fmt::format("{} returned an empty {}", what, field));
    }
    return value;
  };
  Credentials creds;
  auto key = text("AccessKeyId", true);
  if (!key) return fail(key.error());
  auto secret = text("SecretAccessKey", true);
  if (!secret) return fail(secret.error());
  auto token = text(shape.token_field, shape.token_required);
  if (!token) return fail(token.error());
  auto expiration = text("Expiration", shape.expiration_required);
  if (!expiration) return fail(expiration.error());
  creds.access_key_id = std::move(*key);
  creds.secret_access_key = std::move(*secret);
  creds.session_token = std::move(*token);
  if (!expiration->empty()) {
    auto when = parse_iso8601(*expiration);
    if (!when) {
      return fail(ErrorCode::InvalidResponse,
                  fmt::format("{} returned an unparseable Expiration '{}'", what, *expiration));
    }
    creds.expiration = *when;
  }
  creds.source = std::move(source);
  register_credential_secrets(creds);
  return creds;
}

void register_credential_secrets(const Credentials& credentials) {
  register_secret(credentials.secret_access_key);
  if (!credentials.session_token.empty()) register_secret(credentials.session_token);
}

Result<Credentials> get_guarded(CredentialsProvider& source, SteadyTime deadline) {
  try {
    return source.get_before(deadline);
  } catch (const std::exception& e) {
    return fail(ErrorCode::Unknown, fmt::format("credentials from {} failed unexpectedly: {}",
                                                source.name(), e.what()));
  } catch (...) {
    return fail(ErrorCode::Unknown,
                fmt::format("credentials from {} failed unexpectedly", source.name()));
  }
}

tl::unexpected<Error> not_configured(std::string description) {
  return fail(ErrorCode::CredentialsNotFound, std::move(description));
}

}  // namespace bedrock::credentials::cred_detail
