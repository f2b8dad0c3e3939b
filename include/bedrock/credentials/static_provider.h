// Credentials given in code or on the command line.
#pragma once

#include "bedrock/credentials/provider.h"

namespace bedrock::credentials {

// Always yields the given credentials. Errors: ConfigurationInvalid when the access key id or
// secret is empty. Thread-safe (immutable).
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials);
  Result<Credentials> get() override;
  // The given credentials (nullopt when they are incomplete).
  std::optional<Credentials> cached() override;
  std::string_view name() const override { return "explicit"; }

 private:
  Credentials credentials_;
};

}  // namespace bedrock::credentials
