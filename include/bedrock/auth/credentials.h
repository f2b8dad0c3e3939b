// AWS credentials and the one small interface every credential source implements.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"

namespace bedrock::auth {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;           // empty for long-term keys
  std::optional<WallTime> expiration;  // nullopt = does not expire
  std::string source;                  // provider that produced them, e.g. "environment"
};

// Thread-safe. get() returns current credentials or an error:
// CredentialsNotFound when this source is not configured (the chain moves on), any other
// code when it is configured but failed (the chain stops and reports it, as the SDKs do).
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual Result<Credentials> get() = 0;
  // As get(), but a wait for another caller's refresh ends at `deadline` (DeadlineExceeded).
  // Sources that never wait for others need not override it.
  virtual Result<Credentials> get_before(SteadyTime deadline) {
    (void)deadline;
    return get();
  }
  virtual std::string_view name() const = 0;
};

}  // namespace bedrock::auth
