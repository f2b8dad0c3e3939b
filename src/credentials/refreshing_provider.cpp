#include "bedrock/credentials/refreshing_provider.h"

#include <fmt/format.h>

#include "bedrock/core/log.h"
#include "credential_support.h"
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

RefreshingProvider::~RefreshingProvider() {
  std::thread background;
  {
    std::lock_guard lock(mu_);
    background = std::move(background_);
  }
  if (background.joinable()) background.join();
}

std::optional<Credentials> RefreshingProvider::cached() {
  std::thread finished;
  std::optional<Credentials> out;
  {
    std::lock_guard lock(mu_);
    const Need needed = need(clock_.wall());
    if (needed == Need::Mandatory) return std::nullopt;
    out = cached_;
    if (needed == Need::Advisory && !refreshing_ && !background_running_) {
      // The previous background thread has finished its work (it cleared the flag as its
      // last step): reap it outside the lock, then start the next one.
      finished = std::move(background_);
      try {
        background_ = std::thread([this] {
          try {
            (void)get_before(clock_.steady() + kBackgroundRefreshLimit);
          } catch (...) {
            // get_before() reports failures as values; nothing may escape a thread.
          }
          std::lock_guard done(mu_);
          background_running_ = false;
        });
        background_running_ = true;
      } catch (const std::system_error&) {
        // No thread to spare: the next get_before() refreshes in the caller instead.
      }
    }
  }
  if (finished.joinable()) finished.join();
  return out;
}

Result<Credentials> RefreshingProvider::get() { return get_before(SteadyTime::max()); }

Result<Credentials> RefreshingProvider::get_before(SteadyTime deadline) {
  std::unique_lock lock(mu_);
  const Need needed = need(clock_.wall());
  if (needed == Need::None) return *cached_;
  if (refreshing_) {
    // Someone is already refreshing: inside the advisory window the cached credentials are
    // still good; inside the mandatory window wait for that refresh and share its outcome.
    if (needed == Need::Advisory) return *cached_;
    const uint64_t seen = generation_;
    auto refreshed = [&] { return generation_ != seen; };
    if (deadline == SteadyTime::max()) {
      refreshed_.wait(lock, refreshed);
    } else if (!refreshed_.wait_for(lock, deadline - clock_.steady(), refreshed)) {
      return fail(ErrorCode::DeadlineExceeded,
                  fmt::format("the call's deadline passed while waiting for credentials from {} "
                              "to be refreshed",
                              source_->name()));
    }
    if (last_error_) return fail(*last_error_);
    return *cached_;
  }

  // This caller's turn to refresh. Whatever happens below (an error, an exception from
  // formatting or logging), the turn ends and the waiters wake: otherwise every later caller
  // would wait for a refresh that never finishes.
  refreshing_ = true;
  struct Turn {
    RefreshingProvider& self;
    std::unique_lock<std::mutex>& lock;
    bool ended = false;
    void end(std::optional<Error> error) {
      if (!lock.owns_lock()) lock.lock();
      ended = true;
      self.refreshing_ = false;
      ++self.generation_;
      self.last_error_ = std::move(error);
      self.refreshed_.notify_all();
    }
    ~Turn() {
      if (!ended) end(Error::make(ErrorCode::Unknown, "the credential refresh did not complete"));
    }
  };
  Turn turn{*this, lock};

  lock.unlock();
  Result<Credentials> fresh = cred_detail::get_guarded(*source_, deadline);
  const WallTime now = clock_.wall();
  if (fresh && fresh->expiration && *fresh->expiration <= now) {
    fresh = fail(ErrorCode::ExpiredToken,
                 fmt::format("credentials from {} expired at {} (refreshed at {})", source_->name(),
                             cred_detail::format_iso8601(*fresh->expiration),
                             cred_detail::format_iso8601(now)));
  }
  lock.lock();
  if (fresh) {
    cached_ = *fresh;
    turn.end(std::nullopt);
    if (need(now) == Need::Mandatory) {
      logger()->warn("credentials from {} expire at {}, within the {} s refresh window",
                     source_->name(), cred_detail::format_iso8601(*fresh->expiration),
                     windows_.mandatory.count());
    }
    return *fresh;
  }
  turn.end(fresh.error());
  // An advisory refresh is only a head start: keep working with what is still valid.
  if (needed == Need::Advisory && cached_ && need(now) != Need::Mandatory) {
    logger()->warn("advisory refresh of credentials from {} failed, using the current ones: {}",
                   source_->name(), describe(fresh.error()));
    return *cached_;
  }
  return fail(fresh.error());
}

}  // namespace bedrock::credentials
