// Tries credential sources in order; the first that yields credentials is kept.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "bedrock/credentials/provider.h"

namespace bedrock::credentials {

// get(): until a source has succeeded, asks each in turn. A source answering
// CredentialsNotFound is skipped; any other error stops the chain and is returned (a
// configured source that fails is not silently passed over, as in botocore). The first
// source that succeeds is remembered and asked directly from then on (wrap it in a
// RefreshingProvider to cache and refresh). When every source is unconfigured, the error is
// CredentialsNotFound: "No AWS credentials found; tried: <each source's description>".
// A source that throws fails the chain with a typed error instead of unwinding through it.
// Thread-safe: concurrent first calls resolve the chain once.
class ChainProvider final : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<std::shared_ptr<CredentialsProvider>> sources);
  Result<Credentials> get() override;
  Result<Credentials> get_before(SteadyTime deadline) override;
  // The settled source's cached(); nullopt until a source has succeeded.
  std::optional<Credentials> cached() override;
  std::string_view name() const override { return "chain"; }

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> sources_;
  std::mutex mu_;
  std::shared_ptr<CredentialsProvider> winner_;
};

}  // namespace bedrock::credentials
