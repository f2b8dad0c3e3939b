// Credentials from an external command: the profile's credential_process (docs/wire-protocol.md
// §5.3, botocore ProcessProvider).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bedrock/credentials/profile_sources.h"
#include "bedrock/credentials/provider.h"

namespace bedrock::credentials {

struct ProcessOptions {
  // botocore waits forever; a hung helper (e.g. one waiting for a browser login) must not hang
  // every request, so the command gets this long, then it is killed.
  std::chrono::milliseconds timeout{60000};
};

// Splits the command shell-style without a shell, runs it, and reads JSON
// {"Version": 1, "AccessKeyId", "SecretAccessKey", optional "SessionToken", "Expiration"}
// from stdout. With Expiration the credentials expire, and a refreshing wrapper re-runs the
// command. Errors: CredentialsNotFound when the profile has no credential_process;
// ConfigurationInvalid naming the profile for a command that cannot be split or started,
// exits non-zero (message carries its stderr), times out, or prints bad JSON, a Version other
// than 1, or missing keys. Thread-safe (each get() runs its own process).
class ProcessProvider final : public CredentialsProvider {
 public:
  ProcessProvider(std::shared_ptr<const ProfileSources> sources, std::string profile,
                  ProcessOptions options = {});
  Result<Credentials> get() override;
  std::string_view name() const override { return "credential-process"; }

 private:
  std::shared_ptr<const ProfileSources> sources_;
  std::string profile_;
  ProcessOptions options_;
};

}  // namespace bedrock::credentials
