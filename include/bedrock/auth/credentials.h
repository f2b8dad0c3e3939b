// AWS credentials: the value the signer takes. Where they come from is the credentials layer.
#pragma once

#include <optional>
#include <string>

#include "bedrock/core/clock.h"

namespace bedrock::auth {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;           // empty for long-term keys
  std::optional<WallTime> expiration;  // nullopt = does not expire
  std::string source;                  // provider that produced them, e.g. "environment"
};

}  // namespace bedrock::auth
