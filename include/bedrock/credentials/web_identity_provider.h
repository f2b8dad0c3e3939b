// Credentials for a role assumed with an OIDC token file, as on EKS (IRSA) and GitHub Actions
// (docs/wire-protocol.md §5 row 3, botocore AssumeRoleWithWebIdentityProvider).
#pragma once

#include <memory>
#include <string>

#include "bedrock/credentials/profile_sources.h"
#include "bedrock/credentials/provider.h"
#include "bedrock/credentials/provider_context.h"

namespace bedrock::credentials {

// Each setting comes from its variable (when `use_env`), else the profile:
// AWS_WEB_IDENTITY_TOKEN_FILE / web_identity_token_file (configured when set),
// AWS_ROLE_ARN / role_arn, AWS_ROLE_SESSION_NAME / role_session_name. The token file is read
// on every fetch (it rotates) and sent to STS AssumeRoleWithWebIdentity, unsigned.
// Errors: CredentialsNotFound without a token file setting; ConfigurationInvalid for a missing
// role ARN or an unreadable or empty token file; STS errors as detail::call_sts maps them.
// Thread-safe. `sources` may be null (environment only).
class WebIdentityProvider final : public CredentialsProvider {
 public:
  WebIdentityProvider(ProviderContext context, std::shared_ptr<const ProfileSources> sources,
                      std::string profile, bool use_env = true);
  Result<Credentials> get() override;
  std::string_view name() const override { return "web-identity"; }

 private:
  ProviderContext context_;
  std::shared_ptr<const ProfileSources> sources_;
  std::string profile_;
  bool use_env_;
};

}  // namespace bedrock::credentials
