// Credentials from the ECS / EKS Pod Identity container endpoint (docs/wire-protocol.md §5.4,
// botocore ContainerProvider and ContainerMetadataFetcher).
#pragma once

#include <chrono>

#include "bedrock/credentials/provider.h"
#include "bedrock/credentials/provider_context.h"

namespace bedrock::credentials {

struct ContainerOptions {
  std::chrono::milliseconds timeout{2000};      // connect, read and whole exchange, per attempt
  int attempts = 3;                             // any failure but bad credential fields retries
  std::chrono::milliseconds retry_delay{1000};  // slept on the context clock between attempts
};

// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (appended to http://169.254.170.2), else
// AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or http to a loopback address, localhost,
// 169.254.170.2, 169.254.170.23 or fd00:ec2::23). Sends "Authorization: <token>" from the file
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on every fetch, as tokens rotate) or from
// AWS_CONTAINER_AUTHORIZATION_TOKEN, and "Accept: application/json"; reads JSON AccessKeyId,
// SecretAccessKey, Token, Expiration. Errors: CredentialsNotFound when neither URI variable
// is set; ConfigurationInvalid for a disallowed host, an unreadable token file or a token with
// CR/LF; after the last attempt the last failure (transport error, AccessDenied for 401/403,
// InvalidResponse for another status, non-JSON or missing fields). Thread-safe.
class ContainerProvider final : public CredentialsProvider {
 public:
  explicit ContainerProvider(ProviderContext context, ContainerOptions options = {})
      : context_(std::move(context)), options_(options) {}
  Result<Credentials> get() override;
  std::string_view name() const override { return "container"; }

 private:
  ProviderContext context_;
  ContainerOptions options_;
};

}  // namespace bedrock::credentials
