// The shared config and credentials files as the credential sources need them: each file on
// its own (the credentials-file and config-file sources read only their file) and merged (the
// role, web-identity and credential_process settings may live in either), plus the selected
// profile and the paths, which "tried:" messages name.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "bedrock/config/profile_file.h"
#include "bedrock/core/environment.h"
#include "bedrock/core/result.h"

namespace bedrock::credentials {

struct ProfileSources {
  std::string profile;              // selected profile name
  bool profile_explicit = false;    // given in code or on the command line
  std::string config_path;          // "" when neither AWS_CONFIG_FILE nor HOME is set
  std::string credentials_path;     // "" when neither AWS_SHARED_CREDENTIALS_FILE nor HOME is set
  config::SharedFiles config;       // the config file alone
  config::SharedFiles credentials;  // the credentials file alone
  config::SharedFiles merged;       // both; credentials-file values win, as in botocore

  // The merged profile's value for key, if set.
  std::optional<std::string> get(std::string_view key) const { return merged.get(profile, key); }
  std::optional<std::string> get(std::string_view profile_name, std::string_view key) const {
    return merged.get(profile_name, key);
  }
  bool has_profile(std::string_view name) const { return merged.profile(name) != nullptr; }
};

// Reads both files (missing files are empty, as in botocore) and selects the profile
// (explicit, else AWS_DEFAULT_PROFILE, else AWS_PROFILE, else "default").
// Errors: ConfigurationInvalid for a malformed file (file:line).
Result<std::shared_ptr<const ProfileSources>> load_profile_sources(
    const Environment& env, std::optional<std::string> explicit_profile);

// Builds sources from already-parsed files (tests, callers with their own files).
std::shared_ptr<const ProfileSources> make_profile_sources(std::string profile,
                                                           config::SharedFiles config_file,
                                                           config::SharedFiles credentials_file);

}  // namespace bedrock::credentials
