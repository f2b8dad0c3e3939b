#include "bedrock/credentials/environment_provider.h"

#include <fmt/format.h>

#include "credential_support.h"
#include "time_format.h"

namespace bedrock::credentials {

std::optional<Credentials> EnvironmentProvider::cached() {
  auto c = get();
  if (!c) return std::nullopt;
  return std::move(*c);
}

Result<Credentials> EnvironmentProvider::get() {
  auto key = env_.non_empty("AWS_ACCESS_KEY_ID");
  if (!key) return cred_detail::not_configured("environment (AWS_ACCESS_KEY_ID not set)");
  auto secret = env_.non_empty("AWS_SECRET_ACCESS_KEY");
  if (!secret) {
    return fail(ErrorCode::ConfigurationInvalid,
                "partial credentials in the environment: AWS_ACCESS_KEY_ID is set but "
                "AWS_SECRET_ACCESS_KEY is not");
  }
  Credentials creds;
  creds.access_key_id = std::move(*key);
  creds.secret_access_key = std::move(*secret);
  // botocore EnvProvider checks AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN.
  if (auto token = env_.non_empty("AWS_SECURITY_TOKEN")) {
    creds.session_token = std::move(*token);
  } else if (auto session = env_.non_empty("AWS_SESSION_TOKEN")) {
    creds.session_token = std::move(*session);
  }
  if (auto expiry = env_.non_empty("AWS_CREDENTIAL_EXPIRATION")) {
    auto when = cred_detail::parse_iso8601(*expiry);
    if (!when) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("AWS_CREDENTIAL_EXPIRATION '{}' is not an ISO-8601 time such as "
                              "2024-01-15T13:00:00Z",
                              *expiry));
    }
    creds.expiration = *when;
  }
  creds.source = "environment";
  cred_detail::register_credential_secrets(creds);
  return creds;
}

}  // namespace bedrock::credentials
