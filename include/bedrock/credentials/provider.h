// The one small interface every credential source implements.
#pragma once

#include <optional>
#include <string_view>

#include "bedrock/auth/credentials.h"
#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"

namespace bedrock::credentials {

// The value type is auth's (the signer takes it); sources name it without the prefix.
using auth::Credentials;

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
  // Credentials usable now, without blocking, waiting or I/O (safe on an event loop): a fresh
  // cached value, or nullopt when the caller must use get_before() off the loop. Sources that
  // cache nothing keep this default.
  virtual std::optional<Credentials> cached() { return std::nullopt; }
  virtual std::string_view name() const = 0;
};

}  // namespace bedrock::credentials
