#include "bedrock/credentials/chain_provider.h"

#include "bedrock/core/log.h"
#include "credential_support.h"

namespace bedrock::credentials {

ChainProvider::ChainProvider(std::vector<std::shared_ptr<CredentialsProvider>> sources)
    : sources_(std::move(sources)) {}

std::optional<Credentials> ChainProvider::cached() {
  std::shared_ptr<CredentialsProvider> winner;
  {
    std::lock_guard lock(mu_);
    winner = winner_;
  }
  if (!winner) return std::nullopt;
  try {
    return winner->cached();
  } catch (...) {
    return std::nullopt;  // an application's source that throws is asked again with get()
  }
}

Result<Credentials> ChainProvider::get() { return get_before(SteadyTime::max()); }

Result<Credentials> ChainProvider::get_before(SteadyTime deadline) {
  std::shared_ptr<CredentialsProvider> winner;
  {
    std::lock_guard lock(mu_);
    winner = winner_;
  }
  if (winner) return cred_detail::get_guarded(*winner, deadline);

  // Resolution happens under the lock so concurrent first callers probe slow sources (IMDS)
  // once; later callers find the winner above without waiting.
  std::unique_lock lock(mu_);
  if (winner_) {
    // Another caller resolved the chain while we waited. Ask the winner outside the lock, so
    // a slow refresh inside it never serialises the callers that could use cached credentials.
    winner = winner_;
    lock.unlock();
    return cred_detail::get_guarded(*winner, deadline);
  }
  std::string tried;
  for (const auto& source : sources_) {
    auto creds = cred_detail::get_guarded(*source, deadline);
    if (creds) {
      logger()->debug("AWS credentials from {}", source->name());
      winner_ = source;
      return creds;
    }
    if (!cred_detail::is_not_configured(creds.error())) return creds;
    if (!tried.empty()) tried += ", ";
    tried += creds.error().message;
  }
  return cred_detail::not_configured("No AWS credentials found; tried: " +
                                     (tried.empty() ? std::string("no sources") : tried));
}

}  // namespace bedrock::credentials
