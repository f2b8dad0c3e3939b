// The default chain: order, precedence, "configured but failed" stops, and the "tried:" list.
#include "bedrock/credentials/default_chain.h"

#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "bedrock/credentials/chain_provider.h"
#include "fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::CredentialsTempDir;
using testing::FakeTransport;

class DefaultChainTest : public ::testing::Test {
 protected:
  DefaultChainTest() {
    env.set("AWS_CONFIG_FILE", dir.path() + "/config");
    env.set("AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/credentials");
    env.set("AWS_EC2_METADATA_DISABLED", "true");
  }
  std::shared_ptr<CredentialsProvider> chain(std::optional<std::string> profile = std::nullopt) {
    ChainOptions options;
    options.env = &env;
    options.clock = &clock;
    options.transport = transport;
    options.profile = std::move(profile);
    options.region = "us-east-1";
    return make_default_chain(std::move(options));
  }
  std::string key_from(std::optional<std::string> profile = std::nullopt) {
    auto creds = chain(std::move(profile))->get();
    return creds ? creds->access_key_id + "@" + creds->source : "error: " + creds.error().message;
  }
  void config(const std::string& text) { dir.write("config", text); }
  void credentials(const std::string& text) { dir.write("credentials", text); }

  CredentialsTempDir dir;
  MapEnvironment env;
  FakeClock clock;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
};

// With nothing configured, the error lists every source in chain order.
TEST_F(DefaultChainTest, NothingConfiguredListsEverySourceTried) {
  auto creds = chain()->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(creds.error().message,
            fmt::format("No AWS credentials found; tried: environment (AWS_ACCESS_KEY_ID not set), "
                        "assume role (no role_arn in profile default), web identity "
                        "(AWS_WEB_IDENTITY_TOKEN_FILE not set, no web_identity_token_file in "
                        "profile default), shared credentials file ({0}/credentials, profile "
                        "default), credential_process (not set for profile default), config file "
                        "({0}/config, profile default), container endpoint "
                        "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI not set), EC2 instance metadata "
                        "(disabled by AWS_EC2_METADATA_DISABLED)",
                        dir.path()));
  EXPECT_EQ(transport->calls(), 0u);
}

// Explicit credentials beat everything.
TEST_F(DefaultChainTest, ExplicitComesFirst) {
  env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  ChainOptions options;
  options.env = &env;
  options.clock = &clock;
  options.transport = transport;
  options.explicit_credentials = testing::make_credentials("AKIDEXPLICIT", "explicit-secret");
  options.explicit_credentials->source = "";
  auto creds = make_default_chain(std::move(options))->get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "AKIDEXPLICIT");
  EXPECT_EQ(creds->source, "explicit");
}

// Environment beats the files, unless a profile was named explicitly.
TEST_F(DefaultChainTest, EnvironmentBeatsFilesUnlessProfileIsExplicit) {
  credentials(
      "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"
      "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\n");
  env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  EXPECT_EQ(key_from(), "AKIDENV@environment");
  EXPECT_EQ(key_from("other"), "AKIDOTHER@shared-credentials-file");
  // AWS_PROFILE selects a profile but does not drop the environment source.
  env.set("AWS_PROFILE", "other");
  EXPECT_EQ(key_from(), "AKIDENV@environment");
}

// Within one profile: role_arn first, then credentials-file keys, credential_process, config keys.
TEST_F(DefaultChainTest, ProfileSourcesInBotocoreOrder) {
  std::string script = dir.script(
      "proc.sh", R"(echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "s"}')");
  config(
      "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n"
      "credential_process = " +
      script + "\n");
  EXPECT_EQ(key_from(), "AKIDPROC@credential-process");
  credentials("[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n");
  EXPECT_EQ(key_from(), "AKIDCREDS@shared-credentials-file");
  config("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n");
  credentials("");
  EXPECT_EQ(key_from(), "AKIDCONFIG@config-file");

  // role_arn (with itself as source_profile) wins over the profile's own keys.
  config(
      "[default]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = default\n"
      "aws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n");
  transport->push_response(
      200, testing::sts_success_xml("AssumeRole", "ASIAROLE", "rs", "rt", "2024-01-15T13:00:00Z"));
  EXPECT_EQ(key_from(), "ASIAROLE@assume-role");
}

// Web identity from the environment comes before the shared files.
TEST_F(DefaultChainTest, WebIdentityBeforeSharedFiles) {
  credentials("[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n");
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("token", "oidc-token-abcdef"));
  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/Pod");
  transport->push_response(200, testing::sts_success_xml("AssumeRoleWithWebIdentity", "ASIAWEB",
                                                         "ws", "wt", "2024-01-15T13:00:00Z"));
  EXPECT_EQ(key_from(), "ASIAWEB@web-identity");
}

// A configured source that fails stops the chain; later sources are not consulted.
TEST_F(DefaultChainTest, ConfiguredFailureStopsTheChain) {
  credentials("[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n");
  env.set("AWS_ACCESS_KEY_ID", "AKIDENV");  // no secret: partial
  auto creds = chain()->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST_F(DefaultChainTest, MissingNamedProfileIsAnError) {
  credentials("[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n");
  auto creds = chain("typo")->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_EQ(
      creds.error().message,
      fmt::format("the profile 'typo' was not found in {0}/config or {0}/credentials", dir.path()));
}

TEST_F(DefaultChainTest, MalformedConfigFileIsAnError) {
  config("[default]\nthis line has no equals sign\n");
  auto creds = chain()->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("config:2"), std::string::npos) << creds.error().message;
}

// The container source is reached when nothing earlier is configured.
TEST_F(DefaultChainTest, FallsThroughToContainer) {
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  transport->push_response(
      200, testing::metadata_json("ASIAECS", "ecs-secret", "ecs-token", "2024-01-15T18:00:00Z"));
  EXPECT_EQ(key_from(), "ASIAECS@container");
}

// The chain caches IMDS credentials and refreshes them inside the refresh window.
TEST_F(DefaultChainTest, CachesAndRefreshesImdsCredentials) {
  env.set("AWS_EC2_METADATA_DISABLED", "false");
  auto script_imds = [&](const std::string& key, const std::string& expiration) {
    transport->push_response(200, "imds-token-123456");
    transport->push_response(200, "Role");
    transport->push_response(200, testing::metadata_json(key, "s-" + key, "t-" + key, expiration));
  };
  script_imds("ASIAIMDS1", "2024-01-15T13:00:00Z");
  auto provider = chain();
  EXPECT_EQ(provider->get()->access_key_id, "ASIAIMDS1");
  clock.advance(std::chrono::minutes{30});
  EXPECT_EQ(provider->get()->access_key_id, "ASIAIMDS1");
  EXPECT_EQ(transport->calls(), 3u);
  clock.advance(std::chrono::minutes{25});  // 5 min left: mandatory refresh
  script_imds("ASIAIMDS2", "2024-01-15T14:00:00Z");
  EXPECT_EQ(provider->get()->access_key_id, "ASIAIMDS2");
  EXPECT_EQ(transport->calls(), 6u);
}

// The winning source is remembered: later calls skip the sources before it.
TEST(ChainProvider, RemembersWinner) {
  auto unset = std::make_shared<testing::ScriptedProvider>(
      [](int) -> Result<Credentials> { return fail(ErrorCode::CredentialsNotFound, "a (unset)"); });
  auto winner = std::make_shared<testing::ScriptedProvider>([](int call) -> Result<Credentials> {
    return testing::make_credentials("AKID" + std::to_string(call), "s");
  });
  ChainProvider chain({unset, winner});
  EXPECT_EQ(chain.get()->access_key_id, "AKID1");
  EXPECT_EQ(chain.get()->access_key_id, "AKID2");
  EXPECT_EQ(unset->calls(), 1);
  EXPECT_EQ(winner->calls(), 2);
}

// Concurrent first calls resolve the chain once: the unconfigured source is probed once.
TEST(ChainProvider, ConcurrentFirstCallsResolveOnce) {
  constexpr int kThreads = 8;
  std::latch started(kThreads);
  auto unset = std::make_shared<testing::ScriptedProvider>([&](int) -> Result<Credentials> {
    started.wait();  // every thread is inside get() (or about to be) before resolution ends
    return fail(ErrorCode::CredentialsNotFound, "slow probe (unset)");
  });
  auto winner = std::make_shared<testing::ScriptedProvider>(
      [](int) -> Result<Credentials> { return testing::make_credentials("AKIDWIN", "s"); });
  ChainProvider chain({unset, winner});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      started.count_down();
      auto creds = chain.get();
      if (creds && creds->access_key_id == "AKIDWIN") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads);
  EXPECT_EQ(unset->calls(), 1);
  EXPECT_EQ(winner->calls(), kThreads);
}

TEST(BearerTokenFromEnv, NonEmptyOnly) {
  MapEnvironment env;
  EXPECT_FALSE(bearer_token_from_env(env));
  env.set("AWS_BEARER_TOKEN_BEDROCK", "");
  EXPECT_FALSE(bearer_token_from_env(env));
  env.set("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-abc123");
  EXPECT_EQ(bearer_token_from_env(env), "bedrock-api-key-abc123");
}

}  // namespace
}  // namespace bedrock::credentials
