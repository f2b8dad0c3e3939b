// Credentials of the EC2 instance role from the instance metadata service, IMDSv2 only
// (docs/wire-protocol.md §5.5, botocore IMDSFetcher and InstanceMetadataFetcher).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bedrock/credentials/profile_sources.h"
#include "bedrock/credentials/provider.h"
#include "bedrock/credentials/provider_context.h"

namespace bedrock::credentials {

struct ImdsSettings {
  bool disabled = false;                    // AWS_EC2_METADATA_DISABLED=true
  std::string endpoint;                     // "http://169.254.169.254", no trailing slash
  std::chrono::milliseconds timeout{1000};  // per request: connect, read and whole exchange
  int attempts = 1;                         // per request
};

// Reads AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT(_MODE) (or
// ec2_metadata_service_endpoint(_mode) in the profile), AWS_IMDS_USE_IPV6,
// AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout (seconds, may be fractional) and
// AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts. `sources` may be null.
// Errors: ConfigurationInvalid naming the variable or setting with an unusable value.
Result<ImdsSettings> resolve_imds_settings(const Environment& env, const ProfileSources* sources);

// PUT /latest/api/token (x-aws-ec2-metadata-token-ttl-seconds: 21600), then with
// x-aws-ec2-metadata-token: GET /latest/meta-data/iam/security-credentials/ for the role name
// and GET .../<role> for JSON AccessKeyId, SecretAccessKey, Token, Expiration.
// Static stability: credentials expiring within 15 min + a 2-10 min spread (or already expired,
// as IMDS serves during an outage) are reported as expiring at now + that interval, with a
// warning, so callers keep working and refreshes are retried every few minutes.
// Errors: CredentialsNotFound when disabled, when no metadata service answers within the
// timeout, when the token PUT is refused (IMDSv1 is not used) or when no role is attached;
// once the service has answered, InvalidResponse for a 200 carrying Code/Message but no keys,
// non-JSON, missing fields or a bad status, and the transport error when requests fail.
// Thread-safe.
class ImdsProvider final : public CredentialsProvider {
 public:
  ImdsProvider(ProviderContext context, std::shared_ptr<const ProfileSources> sources)
      : context_(std::move(context)), sources_(std::move(sources)) {}
  Result<Credentials> get() override;
  std::string_view name() const override { return "imds"; }

 private:
  ProviderContext context_;
  std::shared_ptr<const ProfileSources> sources_;
};

}  // namespace bedrock::credentials
