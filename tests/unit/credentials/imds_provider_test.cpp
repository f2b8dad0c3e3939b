// EC2 IMDSv2 over a scripted transport: the token dance, settings, and failure modes.
#include "bedrock/credentials/imds_provider.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::FakeTransport;
using testing::metadata_json;

class ImdsTest : public ::testing::Test {
 protected:
  Result<Credentials> get(std::shared_ptr<const ProfileSources> sources = nullptr) {
    ProviderContext context;
    context.env = &env;
    context.clock = &clock;
    context.transport = transport;
    return ImdsProvider(context, std::move(sources)).get();
  }
  void script_ok() {
    transport->push_response(200, "imds-session-token-AAAA");
    transport->push_response(200, "MyInstanceRole\n");
    transport->push_response(
        200, metadata_json("ASIAIMDS", "imds-secret", "imds-token", "2024-01-15T18:00:00Z"));
  }
  MapEnvironment env;
  FakeClock clock;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
};

// PUT token (with TTL), then both GETs carry it; 1 s limits by default.
TEST_F(ImdsTest, FetchesTokenRoleAndCredentials) {
  script_ok();
  auto creds = get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAIMDS");
  EXPECT_EQ(creds->secret_access_key, "imds-secret");
  EXPECT_EQ(creds->session_token, "imds-token");
  EXPECT_EQ(creds->expiration, WallTime{std::chrono::seconds{1705341600}});
  EXPECT_EQ(creds->source, "imds");
  auto requests = transport->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].url, "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(testing::header_of(requests[0], "x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].url, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(testing::header_of(requests[1], "x-aws-ec2-metadata-token"), "imds-session-token-AAAA");
  EXPECT_EQ(requests[2].url,
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/MyInstanceRole");
  EXPECT_EQ(testing::header_of(requests[2], "x-aws-ec2-metadata-token"), "imds-session-token-AAAA");
  for (const auto& options : transport->call_options()) {
    EXPECT_EQ(options.connect_timeout, std::chrono::milliseconds{1000});
    EXPECT_EQ(options.read_timeout, std::chrono::milliseconds{1000});
  }
}

TEST_F(ImdsTest, DisabledMakesNoRequest) {
  env.set("AWS_EC2_METADATA_DISABLED", "TRUE");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(creds.error().message, "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
  EXPECT_EQ(transport->calls(), 0u);
}

// Endpoint, timeout and attempts from the variables (the profile is the fallback).
TEST_F(ImdsTest, SettingsFromEnvironmentAndProfile) {
  config::SharedFiles config;
  config.profiles["default"] = {{"metadata_service_timeout", "3"},
                                {"metadata_service_num_attempts", "2"},
                                {"ec2_metadata_service_endpoint_mode", "IPv6"}};
  auto sources = make_profile_sources("default", config, {});
  auto from_profile = resolve_imds_settings(env, sources.get());
  ASSERT_TRUE(from_profile) << from_profile.error().message;
  EXPECT_EQ(from_profile->timeout, std::chrono::milliseconds{3000});
  EXPECT_EQ(from_profile->attempts, 2);
  EXPECT_EQ(from_profile->endpoint, "http://[fd00:ec2::254]");

  env.set("AWS_METADATA_SERVICE_TIMEOUT", "0.25");
  env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "4");
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8111/");
  auto from_env = resolve_imds_settings(env, sources.get());
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->timeout, std::chrono::milliseconds{250});
  EXPECT_EQ(from_env->attempts, 4);
  EXPECT_EQ(from_env->endpoint, "http://127.0.0.1:8111");
}

TEST_F(ImdsTest, BadSettingsAreConfigurationErrors) {
  for (auto [name, value] : std::initializer_list<std::pair<const char*, const char*>>{
           {"AWS_METADATA_SERVICE_TIMEOUT", "soon"},
           {"AWS_METADATA_SERVICE_TIMEOUT", "-1"},
           {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"},
           {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2.5"},
           {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5"},
           {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"}}) {
    MapEnvironment bad;
    bad.set(name, value);
    auto settings = resolve_imds_settings(bad, nullptr);
    ASSERT_FALSE(settings) << name << "=" << value;
    EXPECT_EQ(settings.error().code, ErrorCode::ConfigurationInvalid);
    EXPECT_NE(settings.error().message.find(name), std::string::npos) << settings.error().message;
  }
}

// No answer to the token PUT: not on EC2, so "not configured" for the chain.
TEST_F(ImdsTest, NoAnswerIsNotConfigured) {
  env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  transport->push_error(ErrorCode::ConnectionFailed, "connect timed out");
  transport->push_error(ErrorCode::ConnectionFailed, "connect timed out");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(creds.error().message,
            "EC2 instance metadata (no answer from http://169.254.169.254 within 1 s: connect "
            "timed out)");
  EXPECT_EQ(transport->calls(), 2u);
}

// IMDSv1 is never used: a refused token PUT ends the attempt.
TEST_F(ImdsTest, RefusedTokenDoesNotFallBackToV1) {
  transport->push_response(403, "Forbidden");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_NE(creds.error().message.find("answered HTTP 403"), std::string::npos);
  EXPECT_EQ(transport->calls(), 1u);
}

TEST_F(ImdsTest, NoRoleAttachedIsNotConfigured) {
  transport->push_response(200, "tok-123456789");
  transport->push_response(404, "Not Found");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_NE(creds.error().message.find("no IAM role attached"), std::string::npos);
}

// A 200 that carries Code/Message and no keys is IMDS reporting a problem.
TEST_F(ImdsTest, CodeAndMessageWithoutKeysIsAnError) {
  transport->push_response(200, "tok-123456789");
  transport->push_response(200, "Role");
  transport->push_response(
      200, R"({"Code": "AssumeRoleUnauthorizedAccess", "Message": "EC2 cannot assume the role"})");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(creds.error().message.find("AssumeRoleUnauthorizedAccess: EC2 cannot assume the role"),
            std::string::npos)
      << creds.error().message;
}

// Bad bodies are retried up to the attempt budget, then reported.
TEST_F(ImdsTest, RetriesNonJsonWithinAttempts) {
  env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  transport->push_response(200, "tok-123456789");
  transport->push_response(200, "Role");
  transport->push_response(200, "{truncated");
  transport->push_response(200, metadata_json("ASIA2", "s", "t", "2024-01-15T18:00:00Z"));
  auto creds = get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIA2");

  transport->push_response(200, "tok-123456789");
  transport->push_response(200, "Role");
  transport->push_response(200, "{truncated");
  transport->push_response(200, "{still truncated");
  auto bad = get();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(bad.error().message.find("did not return JSON"), std::string::npos);
}

// Near-expiry (or expired) credentials during an IMDS outage are stretched to 17-25 min.
TEST_F(ImdsTest, StaticStabilityExtendsNearExpiry) {
  for (const char* expiration : {"2024-01-15T12:05:00Z", "2024-01-15T11:00:00Z"}) {
    transport->push_response(200, "tok-123456789");
    transport->push_response(200, "Role");
    transport->push_response(200, metadata_json("ASIASTALE", "s", "t", expiration));
    auto creds = get();
    ASSERT_TRUE(creds) << creds.error().message;
    ASSERT_TRUE(creds->expiration);
    auto left = *creds->expiration - clock.wall();
    EXPECT_GE(left, std::chrono::minutes{17}) << expiration;
    EXPECT_LE(left, std::chrono::minutes{25}) << expiration;
  }
}

TEST_F(ImdsTest, MissingExpirationIsAnError) {
  transport->push_response(200, "tok-123456789");
  transport->push_response(200, "Role");
  transport->push_response(200, R"({"AccessKeyId": "A", "SecretAccessKey": "S", "Token": "T"})");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(creds.error().message.find("without Expiration"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::credentials
