// Credential sources meeting hostile or broken input: far-future expirations, sources that
// throw, waits that must end at the caller's deadline, deeply nested credential_process output.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>

#include "bedrock/credentials/chain_provider.h"
#include "bedrock/credentials/environment_provider.h"
#include "bedrock/credentials/process_provider.h"
#include "bedrock/credentials/refreshing_provider.h"
#include "fakes/fake_clock.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using testing::CredentialsTempDir;
using testing::make_credentials;
using testing::ScriptedProvider;

Result<Credentials> environment_credentials_expiring(const FakeClock& clock,
                                                     const std::string& expiration) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", "AKIDFARFUTURE"},
                      {"AWS_SECRET_ACCESS_KEY", "far-future-secret"},
                      {"AWS_CREDENTIAL_EXPIRATION", expiration}});
  RefreshingProvider provider(std::make_shared<EnvironmentProvider>(env), clock);
  return provider.get();
}

// An expiration past 2262 (nanosecond time points end there) stays in the future instead of
// wrapping to 1816 and being declared expired.
TEST(HostileCredentials, ExpirationAfter2262IsStillInTheFuture) {
  FakeClock clock;
  for (const char* when :
       {"2263-01-01T00:00:00Z", "2999-06-30T12:00:00+02:00", "9999-12-31T23:59:59.999Z"}) {
    auto creds = environment_credentials_expiring(clock, when);
    ASSERT_TRUE(creds) << when << ": " << creds.error().message;
    ASSERT_TRUE(creds->expiration);
    EXPECT_GT(*creds->expiration, clock.wall() + hours{24 * 365 * 200}) << when;
  }
}

// A source that throws is a typed error, and the provider is not left "refreshing": the next
// caller refreshes again instead of waiting forever.
TEST(HostileCredentials, ThrowingRefreshIsAnErrorAndDoesNotWedgeTheProvider) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedProvider>([&clock](int call) -> Result<Credentials> {
    if (call == 1) throw std::runtime_error("helper crashed");
    return make_credentials("AKID2", "secret2", clock.wall() + minutes{60});
  });
  RefreshingProvider provider(source, clock);
  auto first = provider.get();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::Unknown);
  EXPECT_NE(first.error().message.find("helper crashed"), std::string::npos);

  auto second = std::async(std::launch::async, [&] { return provider.get(); });
  ASSERT_EQ(second.wait_for(std::chrono::seconds{10}), std::future_status::ready)
      << "the second caller is waiting for a refresh that never ends";
  auto creds = second.get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKID2");
}

// A caller waiting for another caller's slow refresh gives up at its own deadline.
TEST(HostileCredentials, WaitForAnotherRefreshEndsAtTheDeadline) {
  FakeClock clock;
  std::latch entered(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto source = std::make_shared<ScriptedProvider>([&](int) -> Result<Credentials> {
    entered.count_down();
    released.wait();
    return make_credentials("AKIDSLOW", "slow-secret", clock.wall() + minutes{60});
  });
  RefreshingProvider provider(source, clock);
  std::thread refresher([&] { EXPECT_TRUE(provider.get()); });
  entered.wait();
  const auto started = std::chrono::steady_clock::now();
  auto waited = provider.get_before(clock.steady() + milliseconds{100});
  const auto took = std::chrono::steady_clock::now() - started;
  release.set_value();
  refresher.join();
  ASSERT_FALSE(waited);
  EXPECT_EQ(waited.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_LT(took, std::chrono::seconds{5});
  EXPECT_EQ(provider.get()->access_key_id, "AKIDSLOW");
}

// The chain passes the deadline to its sources and turns a throwing source into an error.
TEST(HostileCredentials, ChainTurnsAThrowingSourceIntoAnError) {
  auto thrower = std::make_shared<ScriptedProvider>(
      [](int) -> Result<Credentials> { throw std::bad_alloc(); }, "thrower");
  ChainProvider chain({thrower});
  auto creds = chain.get_before(std::chrono::steady_clock::now() + std::chrono::seconds{1});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::Unknown);
  EXPECT_NE(creds.error().message.find("thrower"), std::string::npos);
}

class HostileProcessOutput : public ::testing::Test {
 protected:
  // Runs a credential_process that prints `output` (written to a file and cat'ed).
  Result<Credentials> run(const std::string& output) {
    const std::string file = dir.write("output.json", output);
    const std::string script = dir.script("print.sh", "cat '" + file + "'\n");
    MapEnvironment env(
        {{"AWS_CONFIG_FILE",
          dir.write("config", "[profile tool]\ncredential_process = " + script + "\n")},
         {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}});
    auto sources = load_profile_sources(env, std::string("tool"));
    EXPECT_TRUE(sources);
    return ProcessProvider(*sources, "tool").get();
  }
  CredentialsTempDir dir;
};

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// 100,000 nested arrays anywhere in the output are refused before anything recurses over them.
TEST_F(HostileProcessOutput, DeeplyNestedJsonIsATypedError) {
  for (const std::string& output :
       {nested_arrays(100000), "{\"Version\": " + nested_arrays(100000) + "}",
        "{\"Version\": 1, \"AccessKeyId\": " + nested_arrays(100000) +
            ", \"SecretAccessKey\": \"s\"}"}) {
    auto creds = run(output);
    ASSERT_FALSE(creds);
    EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
    EXPECT_LT(creds.error().message.size(), 2000u);
  }
}

}  // namespace
}  // namespace bedrock::credentials
