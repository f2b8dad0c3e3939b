// Caching and the advisory/mandatory refresh windows (docs/wire-protocol.md §5.6), on a FakeClock.
#include "bedrock/credentials/refreshing_provider.h"

#include <gtest/gtest.h>

#include <latch>
#include <thread>
#include <vector>

#include "bedrock/credentials/chain_provider.h"
#include "bedrock/credentials/static_provider.h"
#include "fakes/fake_clock.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using std::chrono::minutes;
using testing::make_credentials;
using testing::ScriptedProvider;

// Each call yields "AKID<n>" expiring 60 minutes after the clock's current time.
std::shared_ptr<ScriptedProvider> hourly(const FakeClock& clock) {
  return std::make_shared<ScriptedProvider>([&clock](int call) -> Result<Credentials> {
    return make_credentials("AKID" + std::to_string(call), "secret", clock.wall() + minutes{60});
  });
}

// Fresh credentials are served from the cache without asking the source again.
TEST(RefreshingProvider, CachesUntilAdvisoryWindow) {
  FakeClock clock;
  auto source = hourly(clock);
  RefreshingProvider provider(source, clock);
  EXPECT_EQ(provider.get()->access_key_id, "AKID1");
  clock.advance(minutes{44});  // 16 min left
  EXPECT_EQ(provider.get()->access_key_id, "AKID1");
  EXPECT_EQ(source->calls(), 1);
  clock.advance(minutes{2});  // 14 min left: advisory
  EXPECT_EQ(provider.get()->access_key_id, "AKID2");
  EXPECT_EQ(source->calls(), 2);
}

// Credentials without an expiration are fetched once.
TEST(RefreshingProvider, NonExpiringCredentialsAreFetchedOnce) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>(
      [](int) -> Result<Credentials> { return make_credentials("AKIDSTATIC", "s"); });
  RefreshingProvider provider(source, clock);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(provider.get()->access_key_id, "AKIDSTATIC");
    clock.advance(std::chrono::hours{24});
  }
  EXPECT_EQ(source->calls(), 1);
}

// A failed advisory refresh keeps the still-valid credentials.
TEST(RefreshingProvider, AdvisoryFailureKeepsOldCredentials) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>([&clock](int call) -> Result<Credentials> {
    if (call == 1) return make_credentials("AKID1", "s", clock.wall() + minutes{60});
    return fail(ErrorCode::ServiceUnavailable, "sts down");
  });
  RefreshingProvider provider(source, clock);
  ASSERT_TRUE(provider.get());
  clock.advance(minutes{48});  // 12 min left
  auto creds = provider.get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKID1");
  EXPECT_EQ(source->calls(), 2);
}

// Inside the mandatory window a failed refresh is returned to the caller.
TEST(RefreshingProvider, MandatoryFailureIsReturned) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>([&clock](int call) -> Result<Credentials> {
    if (call == 1) return make_credentials("AKID1", "s", clock.wall() + minutes{60});
    return fail(ErrorCode::ServiceUnavailable, "sts down");
  });
  RefreshingProvider provider(source, clock);
  ASSERT_TRUE(provider.get());
  clock.advance(minutes{52});  // 8 min left
  auto creds = provider.get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ServiceUnavailable);
}

// A source handing out credentials that already expired is an error, not a success.
TEST(RefreshingProvider, AlreadyExpiredRefreshIsAnError) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>([&clock](int) -> Result<Credentials> {
    return make_credentials("AKIDOLD", "s", clock.wall() - minutes{1});
  });
  RefreshingProvider provider(source, clock);
  auto creds = provider.get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ExpiredToken);
  EXPECT_NE(creds.error().message.find("expired at 2024-01-15T11:59:00Z"), std::string::npos)
      << creds.error().message;
}

TEST(RefreshingProvider, NotConfiguredPassesThroughUncached) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>(
      [](int) -> Result<Credentials> { return fail(ErrorCode::CredentialsNotFound, "x (unset)"); });
  RefreshingProvider provider(source, clock);
  EXPECT_EQ(provider.get().error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(provider.get().error().message, "x (unset)");
  EXPECT_EQ(source->calls(), 2);
}

// Many threads in the mandatory window: exactly one refresh, everyone gets its result.
TEST(RefreshingProvider, MandatoryRefreshHappensOnceAcrossThreads) {
  constexpr int kThreads = 16;
  FakeClock clock;
  std::latch all_started(kThreads);
  auto source = std::make_shared<ScriptedProvider>([&](int call) -> Result<Credentials> {
    if (call > 1) all_started.wait();  // hold the refresh until every thread is in get()
    return make_credentials("AKID" + std::to_string(call), "s", clock.wall() + minutes{60});
  });
  RefreshingProvider provider(source, clock);
  ASSERT_EQ(provider.get()->access_key_id, "AKID1");
  clock.advance(minutes{55});  // 5 min left
  std::vector<std::string> keys(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      all_started.count_down();
      auto creds = provider.get();
      keys[i] = creds ? creds->access_key_id : "error: " + creds.error().message;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(source->calls(), 2);
  for (const auto& key : keys) EXPECT_EQ(key, "AKID2");
}

// Many threads in the advisory window: one refreshes, the others do not wait for it.
TEST(RefreshingProvider, AdvisoryRefreshDoesNotBlockOthers) {
  constexpr int kOthers = 8;
  FakeClock clock;
  std::latch refresh_started(1);
  std::latch others_done(1);
  auto source = std::make_shared<ScriptedProvider>([&](int call) -> Result<Credentials> {
    if (call > 1) {
      refresh_started.count_down();
      others_done.wait();  // the refresh cannot finish until the other callers returned
    }
    return make_credentials("AKID" + std::to_string(call), "s", clock.wall() + minutes{60});
  });
  RefreshingProvider provider(source, clock);
  ASSERT_TRUE(provider.get());
  clock.advance(minutes{47});  // 13 min left
  std::string refresher_key;
  std::thread refresher([&] { refresher_key = provider.get()->access_key_id; });
  refresh_started.wait();
  for (int i = 0; i < kOthers; ++i) EXPECT_EQ(provider.get()->access_key_id, "AKID1");
  others_done.count_down();
  refresher.join();
  EXPECT_EQ(refresher_key, "AKID2");
  EXPECT_EQ(source->calls(), 2);
  EXPECT_EQ(provider.get()->access_key_id, "AKID2");
}

// Waiters in the mandatory window share the one refresh's failure too.
TEST(RefreshingProvider, MandatoryWaitersShareFailure) {
  constexpr int kThreads = 8;
  FakeClock clock;
  std::latch all_started(kThreads);
  auto source = std::make_shared<ScriptedProvider>([&](int call) -> Result<Credentials> {
    if (call == 1) return make_credentials("AKID1", "s", clock.wall() + minutes{60});
    all_started.wait();
    return fail(ErrorCode::AccessDenied, "role trust policy changed");
  });
  RefreshingProvider provider(source, clock);
  ASSERT_TRUE(provider.get());
  clock.advance(minutes{58});
  std::atomic<int> denied{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      all_started.count_down();
      auto creds = provider.get();
      if (!creds && creds.error().code == ErrorCode::AccessDenied) ++denied;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(denied.load(), kThreads);
}

}  // namespace
}  // namespace bedrock::credentials

namespace bedrock::credentials {
namespace {

using std::chrono::minutes;
using testing::make_credentials;
using testing::ScriptedProvider;

// Waits (bounded) for a background refresh to reach the source.
bool wait_for_calls(const ScriptedProvider& source, int calls) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (source.calls() < calls) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// cached() never fetches: nothing until the first get(), then the cache while it is fresh.
TEST(RefreshingProviderCached, ServesOnlyWhatIsCached) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>([&clock](int call) -> Result<Credentials> {
    return make_credentials("AKID" + std::to_string(call), "s", clock.wall() + minutes{60});
  });
  RefreshingProvider provider(source, clock);
  EXPECT_FALSE(provider.cached().has_value());
  EXPECT_EQ(source->calls(), 0);
  ASSERT_TRUE(provider.get().has_value());
  auto c = provider.cached();
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->access_key_id, "AKID1");
  clock.advance(minutes{51});  // 9 min left: mandatory window, the caller must wait
  EXPECT_FALSE(provider.cached().has_value());
  EXPECT_EQ(source->calls(), 1);
}

// Inside the advisory window cached() answers at once and refreshes on another thread.
TEST(RefreshingProviderCached, AdvisoryWindowRefreshesInTheBackground) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>([&clock](int call) -> Result<Credentials> {
    return make_credentials("AKID" + std::to_string(call), "s", clock.wall() + minutes{60});
  });
  RefreshingProvider provider(source, clock);
  ASSERT_TRUE(provider.get().has_value());
  clock.advance(minutes{46});  // 14 min left: advisory
  auto c = provider.cached();
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->access_key_id, "AKID1");
  ASSERT_TRUE(wait_for_calls(*source, 2));
  // The refreshed credentials replace the old ones once the background refresh finished.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string key;
  while (std::chrono::steady_clock::now() < until) {
    auto now = provider.cached();
    ASSERT_TRUE(now.has_value());
    key = now->access_key_id;
    if (key == "AKID2") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(key, "AKID2");
  EXPECT_EQ(source->calls(), 2);
}

// The chain answers from the source it settled on, and nothing before it settled.
TEST(ChainProviderCached, DelegatesToTheSettledSource) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>(
      [](int) -> Result<Credentials> { return make_credentials("AKIDCHAIN", "s"); });
  auto refreshing = std::make_shared<RefreshingProvider>(source, clock);
  ChainProvider chain({refreshing});
  EXPECT_FALSE(chain.cached().has_value());
  ASSERT_TRUE(chain.get().has_value());
  auto c = chain.cached();
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->access_key_id, "AKIDCHAIN");
  EXPECT_EQ(source->calls(), 1);
}

// Static credentials are always cached; incomplete ones are not.
TEST(StaticProviderCached, ReturnsTheGivenCredentials) {
  StaticCredentialsProvider good(make_credentials("AKIDS", "secret"));
  ASSERT_TRUE(good.cached().has_value());
  EXPECT_EQ(good.cached()->access_key_id, "AKIDS");
  StaticCredentialsProvider bad(make_credentials("", ""));
  EXPECT_FALSE(bad.cached().has_value());
}

}  // namespace
}  // namespace bedrock::credentials
