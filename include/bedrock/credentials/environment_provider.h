// Credentials from environment variables (docs/wire-protocol.md §5.1, botocore EnvProvider).
#pragma once

#include "bedrock/core/environment.h"
#include "bedrock/credentials/provider.h"

namespace bedrock::credentials {

// AWS_ACCESS_KEY_ID (non-empty: configured) + AWS_SECRET_ACCESS_KEY; session token from
// AWS_SECURITY_TOKEN, else AWS_SESSION_TOKEN (first non-empty, botocore's order); optional
// AWS_CREDENTIAL_EXPIRATION (ISO-8601) makes them expiring, so a refreshing wrapper re-reads
// the variables near expiry. Errors: CredentialsNotFound when AWS_ACCESS_KEY_ID is unset;
// ConfigurationInvalid for a missing secret (partial credentials) or a bad expiration.
// Thread-safe; `env` must outlive the provider.
class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(const Environment& env) : env_(env) {}
  Result<Credentials> get() override;
  // What get() reads (the environment is memory): nullopt when it is not usable.
  std::optional<Credentials> cached() override;
  std::string_view name() const override { return "environment"; }

 private:
  const Environment& env_;
};

}  // namespace bedrock::credentials
