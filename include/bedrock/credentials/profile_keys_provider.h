// Static keys of a profile in one of the shared files (docs/wire-protocol.md §5.2, botocore
// SharedCredentialProvider and ConfigProvider).
#pragma once

#include <memory>
#include <string>

#include "bedrock/credentials/profile_sources.h"
#include "bedrock/credentials/provider.h"

namespace bedrock::credentials {

enum class SharedFile { Credentials, Config };

// aws_access_key_id (present: configured) + aws_secret_access_key, optional
// aws_security_token / aws_session_token, read from that one file's section of `profile`.
// Errors: CredentialsNotFound when the file has no aws_access_key_id for the profile;
// ConfigurationInvalid (with file:line) for a missing secret or an empty key.
// Thread-safe (immutable).
class ProfileKeysProvider final : public CredentialsProvider {
 public:
  ProfileKeysProvider(std::shared_ptr<const ProfileSources> sources, SharedFile file,
                      std::string profile);
  Result<Credentials> get() override;
  std::string_view name() const override {
    return file_ == SharedFile::Credentials ? "shared-credentials-file" : "config-file";
  }

 private:
  std::shared_ptr<const ProfileSources> sources_;
  SharedFile file_;
  std::string profile_;
};

}  // namespace bedrock::credentials
