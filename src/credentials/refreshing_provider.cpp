#include "bedrock/credentials/refreshing_provider.h"

#include <fmt/format.h>

#include "bedrock/core/log.h"
#include "time_format.h"

namespace bedrock::credentials {

RefreshingProvider::RefreshingProvider(std::shared_ptr<CredentialsProvider> source,
                                       const Clock& clock, RefreshWindows windows)
    : source_(std::move(source)), clock_(clock), windows_(windows) {}

RefreshingProvider::Need RefreshingProvider::need(WallTime now) const {
  if (!cached_) return Need::Mandatory;
  if (!cached_->expiration) return Need::None;
  auto remaining = *cached_->expiration - now;
  if (remaining < windows_.mandatory) return Need::Mandatory;
  if (remaining < windows_.advisory) return Need::Advisory;
  return Need::None;
}

Result<Credentials> RefreshingProvider::get() {
  std::unique_lock lock(mu_);
  const Need needed = need(clock_.wall());
  if (needed == Need::None) return *cached_;
  if (refreshing_) {
    // Someone is already refreshing: inside the advisory window the cached credentials are
    // still good; inside the mandatory window wait for that refresh and share its outcome.
    if (needed == Need::Advisory) return *cached_;
    const uint64_t seen = generation_;
    refreshed_.wait(lock, [&] { return generation_ != seen; });
    if (last_error_) return fail(*last_error_);
    return *cached_;
  }

  refreshing_ = true;
  lock.unlock();
  Result<Credentials> fresh = source_->get();
  const WallTime now = clock_.wall();
  if (fresh && fresh->expiration && *fresh->expiration <= now) {
    fresh = fail(ErrorCode::ExpiredToken,
                 fmt::format("credentials from {} expired at {} (refreshed at {})", source_->name(),
                             cred_detail::format_iso8601(*fresh->expiration),
                             cred_detail::format_iso8601(now)));
  }
  lock.lock();
  refreshing_ = false;
  ++generation_;
  if (fresh) {
    cached_ = *fresh;
    last_error_.reset();
    if (need(now) == Need::Mandatory) {
      logger()->warn("credentials from {} expire at {}, within the {} s refresh window",
                     source_->name(), cred_detail::format_iso8601(*fresh->expiration),
                     windows_.mandatory.count());
    }
  } else {
    last_error_ = fresh.error();
  }
  refreshed_.notify_all();
  if (fresh) return *fresh;
  // An advisory refresh is only a head start: keep working with what is still valid.
  if (needed == Need::Advisory && cached_ && need(now) != Need::Mandatory) {
    logger()->warn("advisory refresh of credentials from {} failed, using the current ones: {}",
                   source_->name(), describe(fresh.error()));
    return *cached_;
  }
  return fail(fresh.error());
}

}  // namespace bedrock::credentials
