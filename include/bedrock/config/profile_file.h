// The AWS shared files (~/.aws/config and ~/.aws/credentials) parsed the way the AWS CLI and
// SDKs parse them: INI sections, "[profile NAME]" in the config file, bare names in the
// credentials file, '#' and ';' comments, "key = value" with surrounding whitespace trimmed,
// nested sub-sections ("s3 =\n  key = value") and "[services NAME]" sections.
// As in botocore (configparser): keys are lower-cased, ':' is accepted as well as '=', a deeper
// indented line continues the previous value, duplicate sections/keys are errors. Nested keys
// keep their case and are flattened to "parent.key". Extension: " #" starts an inline comment.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "bedrock/core/environment.h"
#include "bedrock/core/result.h"

namespace bedrock::config {

using ProfileValues = std::map<std::string, std::string, std::less<>>;

struct SharedFiles {
  // Profile name -> key -> value. Values from the credentials file win over the config file
  // for the same profile and key, as in botocore.
  std::map<std::string, ProfileValues, std::less<>> profiles;
  // "[services NAME]" sections: service-set name -> "bedrock_runtime.endpoint_url" -> value.
  std::map<std::string, ProfileValues, std::less<>> services;

  const ProfileValues* profile(std::string_view name) const {
    auto it = profiles.find(name);
    return it == profiles.end() ? nullptr : &it->second;
  }
  // Where each value came from ("path:line"), keyed like `profiles` and `services`, so
  // callers can point at the exact line of an unusable value.
  std::map<std::string, ProfileValues, std::less<>> profile_origins;
  std::map<std::string, ProfileValues, std::less<>> service_origins;

  std::optional<std::string> get(std::string_view profile, std::string_view key) const;
  // "path:line" of a profile value, or "" when unknown.
  std::string origin(std::string_view profile, std::string_view key) const;
};

// Parses one file's text. `is_config_file` selects the "[profile x]" convention.
// Errors: ConfigurationInvalid naming the file and line of a malformed line.
Result<SharedFiles> parse_shared_file(std::string_view text, std::string_view file_name,
                                      bool is_config_file);

// Locates and loads both files: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else
// $HOME/.aws/config and $HOME/.aws/credentials. Missing files are not an error (empty result).
Result<SharedFiles> load_shared_files(const Environment& env);

// The selected profile name: explicit, else AWS_DEFAULT_PROFILE, else AWS_PROFILE, else "default".
std::string selected_profile(const Environment& env, std::optional<std::string> explicit_profile);

}  // namespace bedrock::config
