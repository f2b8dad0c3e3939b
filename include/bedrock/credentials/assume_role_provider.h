// Credentials for the role named by a profile's role_arn (docs/wire-protocol.md §5.2, botocore
// AssumeRoleProvider), obtained from STS AssumeRole signed with the source credentials.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "bedrock/credentials/container_provider.h"
#include "bedrock/credentials/process_provider.h"
#include "bedrock/credentials/profile_sources.h"
#include "bedrock/credentials/provider.h"
#include "bedrock/credentials/provider_context.h"

namespace bedrock::credentials {

struct AssumeRoleOptions {
  ProcessOptions process;      // for a source profile with credential_process
  ContainerOptions container;  // for credential_source = EcsContainer
};

// Configured when the profile has role_arn and no web_identity_token_file. The source is
// either source_profile (its static keys, web identity, credential_process, or its own
// role_arn, recursively; a profile may name itself only when it has static keys) or
// credential_source = Environment | Ec2InstanceMetadata | EcsContainer. Sends role_arn,
// role_session_name (default "bedrock-content-<unix time>"), external_id and duration_seconds.
// Errors: CredentialsNotFound when the profile has no role_arn; ConfigurationInvalid for both
// or neither of source_profile and credential_source, an unknown credential_source, a missing
// source profile, a source_profile cycle, a source without credentials, mfa_serial (no
// interactive prompt here) or a bad duration_seconds; source and STS errors as they come.
// Thread-safe.
class AssumeRoleProvider final : public CredentialsProvider {
 public:
  AssumeRoleProvider(ProviderContext context, std::shared_ptr<const ProfileSources> sources,
                     std::string profile, AssumeRoleOptions options = {});
  Result<Credentials> get() override;
  std::string_view name() const override { return "assume-role"; }

 private:
  Result<Credentials> assume(const std::string& profile, std::set<std::string>& visited);
  Result<Credentials> source_profile_credentials(const std::string& profile,
                                                 std::set<std::string>& visited);
  Result<Credentials> credential_source(const std::string& profile, const std::string& source);

  ProviderContext context_;
  std::shared_ptr<const ProfileSources> sources_;
  std::string profile_;
  AssumeRoleOptions options_;
};

}  // namespace bedrock::credentials
