// Caches a source's credentials and refreshes them ahead of expiry (docs/wire-protocol.md §5.6,
// botocore RefreshableCredentials): every expiring source in the chain is wrapped in one of these.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "bedrock/core/clock.h"
#include "bedrock/credentials/provider.h"

namespace bedrock::credentials {

struct RefreshWindows {
  std::chrono::seconds advisory{900};   // < this remains: one caller refreshes, others use cache
  std::chrono::seconds mandatory{600};  // < this remains: callers wait for the one refresh
};

// get() returns cached credentials while more than the advisory window remains (forever when
// they do not expire). Inside the advisory window exactly one caller refreshes while the
// others keep the cached credentials; a failed advisory refresh is logged and the cached
// credentials are used. Inside the mandatory window (or with nothing cached) callers block on
// a single refresh and share its result, failure included. Refreshed credentials that have
// already expired are an ExpiredToken error. A source that throws is an error like any other
// (code Unknown) and never leaves the provider stuck "refreshing"; get_before() gives up waiting
// for another caller's refresh at the deadline (read on `clock`'s steady time).
// Thread-safe; `clock` must outlive the provider.
class RefreshingProvider final : public CredentialsProvider {
 public:
  RefreshingProvider(std::shared_ptr<CredentialsProvider> source, const Clock& clock,
                     RefreshWindows windows = {});
  Result<Credentials> get() override;
  Result<Credentials> get_before(SteadyTime deadline) override;
  // Never blocks: the cached credentials while more than the mandatory window remains, else
  // nullopt. Inside the advisory window it also starts the one refresh on a background thread
  // (bounded by kBackgroundRefreshLimit), so event-loop callers are served from the cache while
  // new credentials are fetched off their thread.
  std::optional<Credentials> cached() override;
  std::string_view name() const override { return source_->name(); }

  // Joins a background refresh still running (at most kBackgroundRefreshLimit).
  ~RefreshingProvider() override;

  static constexpr std::chrono::seconds kBackgroundRefreshLimit{60};

 private:
  enum class Need { None, Advisory, Mandatory };
  Need need(WallTime now) const;  // requires mu_

  std::shared_ptr<CredentialsProvider> source_;
  const Clock& clock_;
  RefreshWindows windows_;

  std::mutex mu_;
  std::condition_variable refreshed_;
  std::optional<Credentials> cached_;
  bool refreshing_ = false;
  uint64_t generation_ = 0;          // completed refreshes
  std::optional<Error> last_error_;  // of the latest completed refresh
  std::thread background_;           // the advisory refresh started by cached()
  bool background_running_ = false;  // cleared by that thread as its last step
};

}  // namespace bedrock::credentials
