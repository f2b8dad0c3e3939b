// Sources without network: explicit, environment variables, shared-file keys.
#include <gtest/gtest.h>

#include "bedrock/core/log.h"
#include "bedrock/credentials/environment_provider.h"
#include "bedrock/credentials/profile_keys_provider.h"
#include "bedrock/credentials/profile_sources.h"
#include "bedrock/credentials/static_provider.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::CredentialsTempDir;

// Explicit credentials come back unchanged, tagged with their source.
TEST(StaticCredentialsProvider, ReturnsGivenCredentials) {
  StaticCredentialsProvider provider(testing::make_credentials("AKIDEXPLICIT", "secret-explicit"));
  auto creds = provider.get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "AKIDEXPLICIT");
  EXPECT_EQ(creds->secret_access_key, "secret-explicit");
}

TEST(StaticCredentialsProvider, RejectsEmptySecret) {
  StaticCredentialsProvider provider(testing::make_credentials("AKID", ""));
  auto creds = provider.get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
}

// Keys, token and expiration all come from the variables.
TEST(EnvironmentProvider, ReadsKeysTokenAndExpiration) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                      {"AWS_SECRET_ACCESS_KEY", "Zq7envSecretValue"},
                      {"AWS_SESSION_TOKEN", "env-session-token"},
                      {"AWS_CREDENTIAL_EXPIRATION", "2024-01-15T13:00:00Z"}});
  EnvironmentProvider provider(env);
  auto creds = provider.get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDENV");
  EXPECT_EQ(creds->secret_access_key, "Zq7envSecretValue");
  EXPECT_EQ(creds->session_token, "env-session-token");
  EXPECT_EQ(creds->expiration, WallTime{std::chrono::seconds{1705323600}});
  EXPECT_EQ(creds->source, "environment");
  // The secret was registered with the redactor.
  EXPECT_EQ(redact("leaked Zq7envSecretValue here"), "leaked **** here");
}

// botocore checks AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN; empty ones are skipped.
TEST(EnvironmentProvider, SecurityTokenWinsOverSessionToken) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", "AKID"},
                      {"AWS_SECRET_ACCESS_KEY", "secret"},
                      {"AWS_SECURITY_TOKEN", "legacy-token"},
                      {"AWS_SESSION_TOKEN", "session-token"}});
  EXPECT_EQ(EnvironmentProvider(env).get()->session_token, "legacy-token");
  env.set("AWS_SECURITY_TOKEN", "");
  EXPECT_EQ(EnvironmentProvider(env).get()->session_token, "session-token");
}

TEST(EnvironmentProvider, NotConfiguredWithoutAccessKey) {
  MapEnvironment env({{"AWS_SECRET_ACCESS_KEY", "secret"}, {"AWS_ACCESS_KEY_ID", ""}});
  auto creds = EnvironmentProvider(env).get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(creds.error().message, "environment (AWS_ACCESS_KEY_ID not set)");
}

// A key without a secret is a configuration mistake, not "no credentials".
TEST(EnvironmentProvider, PartialCredentialsAreAnError) {
  MapEnvironment env;
  env.set("AWS_ACCESS_KEY_ID", "AKID");
  auto creds = EnvironmentProvider(env).get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(EnvironmentProvider, BadExpirationIsAnError) {
  MapEnvironment env({{"AWS_ACCESS_KEY_ID", "AKID"},
                      {"AWS_SECRET_ACCESS_KEY", "secret"},
                      {"AWS_CREDENTIAL_EXPIRATION", "tomorrow"}});
  auto creds = EnvironmentProvider(env).get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("tomorrow"), std::string::npos);
}

struct SharedFilesFixture : ::testing::Test {
  CredentialsTempDir dir;
  MapEnvironment env;
  void files(const std::string& config, const std::string& credentials) {
    env.set("AWS_CONFIG_FILE", dir.write("aws/config", config));
    env.set("AWS_SHARED_CREDENTIALS_FILE", dir.write("aws/credentials", credentials));
  }
  std::shared_ptr<const ProfileSources> load(std::optional<std::string> profile = std::nullopt) {
    auto sources = load_profile_sources(env, std::move(profile));
    EXPECT_TRUE(sources) << sources.error().message;
    return *sources;
  }
};

// Each file is read on its own: the credentials-file source ignores config-file keys and
// the other way round.
TEST_F(SharedFilesFixture, EachFileSourceReadsOnlyItsFile) {
  files("[profile cfg]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = cfg-secret\n",
        "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n"
        "aws_session_token = creds-token\n");
  auto sources = load();
  EXPECT_EQ(sources->profile, "default");
  auto from_creds = ProfileKeysProvider(sources, SharedFile::Credentials, "default").get();
  ASSERT_TRUE(from_creds);
  EXPECT_EQ(from_creds->access_key_id, "AKIDCREDS");
  EXPECT_EQ(from_creds->session_token, "creds-token");
  EXPECT_EQ(from_creds->source, "shared-credentials-file");
  auto from_config = ProfileKeysProvider(sources, SharedFile::Config, "default").get();
  ASSERT_FALSE(from_config);
  EXPECT_EQ(from_config.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(from_config.error().message,
            fmt::format("config file ({}/aws/config, profile default)", dir.path()));

  auto cfg = ProfileKeysProvider(sources, SharedFile::Config, "cfg").get();
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->access_key_id, "AKIDCONFIG");
  EXPECT_EQ(cfg->source, "config-file");
  auto missing = ProfileKeysProvider(sources, SharedFile::Credentials, "cfg").get();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            fmt::format("shared credentials file ({}/aws/credentials, profile cfg)", dir.path()));
}

// Selection order: explicit, AWS_DEFAULT_PROFILE, AWS_PROFILE, default.
TEST_F(SharedFilesFixture, SelectsProfileLikeBotocore) {
  files("", "");
  env.set("AWS_PROFILE", "from-profile");
  EXPECT_EQ(load()->profile, "from-profile");
  env.set("AWS_DEFAULT_PROFILE", "from-default");
  EXPECT_EQ(load()->profile, "from-default");
  auto explicit_sources = load("given");
  EXPECT_EQ(explicit_sources->profile, "given");
  EXPECT_TRUE(explicit_sources->profile_explicit);
}

// HOME locates ~/.aws when the variables are unset.
TEST_F(SharedFilesFixture, FallsBackToHomeDotAws) {
  dir.write(".aws/credentials", "[default]\naws_access_key_id=AKIDHOME\naws_secret_access_key=s\n");
  env.set("HOME", dir.path());
  auto sources = load();
  EXPECT_EQ(sources->credentials_path, dir.path() + "/.aws/credentials");
  EXPECT_EQ(ProfileKeysProvider(sources, SharedFile::Credentials, "default").get()->access_key_id,
            "AKIDHOME");
}

TEST_F(SharedFilesFixture, MissingSecretPointsAtTheLine) {
  files("", "[default]\n\naws_access_key_id = AKID\n");
  auto creds = ProfileKeysProvider(load(), SharedFile::Credentials, "default").get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("credentials:3"), std::string::npos)
      << creds.error().message;
  EXPECT_NE(creds.error().message.find("aws_secret_access_key"), std::string::npos);
}

TEST_F(SharedFilesFixture, MalformedFileIsAnError) {
  files("[default]\nregion = us-east-1\nregion = us-west-2\n", "");
  auto sources = load_profile_sources(env, std::nullopt);
  ASSERT_FALSE(sources);
  EXPECT_EQ(sources.error().code, ErrorCode::ConfigurationInvalid);
}

}  // namespace
}  // namespace bedrock::credentials
