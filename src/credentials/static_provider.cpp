#include "bedrock/credentials/static_provider.h"

#include "credential_support.h"

namespace bedrock::credentials {

std::optional<Credentials> StaticCredentialsProvider::cached() {
  auto c = get();
  if (!c) return std::nullopt;
  return std::move(*c);
}

StaticCredentialsProvider::StaticCredentialsProvider(Credentials credentials)
    : credentials_(std::move(credentials)) {
  if (credentials_.source.empty()) credentials_.source = "explicit";
  cred_detail::register_credential_secrets(credentials_);
}

Result<Credentials> StaticCredentialsProvider::get() {
  if (credentials_.access_key_id.empty() || credentials_.secret_access_key.empty()) {
    return fail(ErrorCode::ConfigurationInvalid,
                "explicit credentials need both an access key id and a secret access key");
  }
  return credentials_;
}

}  // namespace bedrock::credentials
