// Web identity: token file + role ARN -> unsigned STS AssumeRoleWithWebIdentity.
#include "bedrock/credentials/web_identity_provider.h"

#include <gtest/gtest.h>

#include "bedrock/core/log.h"
#include "fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::CredentialsTempDir;
using testing::FakeTransport;
using testing::parse_form;

class WebIdentityTest : public ::testing::Test {
 protected:
  Result<Credentials> get(std::shared_ptr<const ProfileSources> sources = nullptr,
                          std::string profile = "default", bool use_env = true) {
    ProviderContext context;
    context.env = &env;
    context.clock = &clock;
    context.transport = transport;
    context.region = "eu-central-1";
    return WebIdentityProvider(context, std::move(sources), std::move(profile), use_env).get();
  }
  void sts_ok() {
    transport->push_response(
        200, testing::sts_success_xml("AssumeRoleWithWebIdentity", "ASIAWEB", "web-secret-key",
                                      "web-session-token", "2024-01-15T13:00:00Z"));
  }
  CredentialsTempDir dir;
  MapEnvironment env;
  FakeClock clock;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
};

// EKS-style variables: the token file's contents go to STS, unsigned.
TEST_F(WebIdentityTest, UsesEnvironmentVariables) {
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("token", "eyJhbGciOi.oidc-token-value\n"));
  env.set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/Pod");
  env.set("AWS_ROLE_SESSION_NAME", "pod-session");
  sts_ok();
  auto creds = get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAWEB");
  EXPECT_EQ(creds->session_token, "web-session-token");
  EXPECT_EQ(creds->source, "web-identity");
  const http::Request req = transport->requests().at(0);
  EXPECT_EQ(req.url, "https://sts.eu-central-1.amazonaws.com/");
  EXPECT_FALSE(testing::header_of(req, "Authorization").has_value());
  EXPECT_EQ(parse_form(req.body), (std::map<std::string, std::string>{
                                      {"Action", "AssumeRoleWithWebIdentity"},
                                      {"Version", "2011-06-15"},
                                      {"RoleArn", "arn:aws:iam::123456789012:role/Pod"},
                                      {"RoleSessionName", "pod-session"},
                                      {"WebIdentityToken", "eyJhbGciOi.oidc-token-value"}}));
  EXPECT_EQ(redact("t=eyJhbGciOi.oidc-token-value"), "t=****");
}

// The profile form; variables win over profile values when both are present.
TEST_F(WebIdentityTest, UsesProfileSettings) {
  std::string token = dir.write("profile-token", "profile-oidc-token");
  config::SharedFiles config;
  config.profiles["ci"] = {{"web_identity_token_file", token},
                           {"role_arn", "arn:aws:iam::1:role/FromProfile"}};
  auto sources = make_profile_sources("ci", config, {});
  sts_ok();
  ASSERT_TRUE(get(sources, "ci"));
  auto form = parse_form(transport->requests().at(0).body);
  EXPECT_EQ(form["RoleArn"], "arn:aws:iam::1:role/FromProfile");
  EXPECT_EQ(form["WebIdentityToken"], "profile-oidc-token");
  EXPECT_EQ(form["RoleSessionName"], "bedrock-content-1705320000");

  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/FromEnv");
  sts_ok();
  ASSERT_TRUE(get(sources, "ci"));
  EXPECT_EQ(parse_form(transport->requests().at(1).body)["RoleArn"], "arn:aws:iam::1:role/FromEnv");
  // As a source profile's provider the variables are ignored.
  sts_ok();
  ASSERT_TRUE(get(sources, "ci", /*use_env=*/false));
  EXPECT_EQ(parse_form(transport->requests().at(2).body)["RoleArn"],
            "arn:aws:iam::1:role/FromProfile");
}

TEST_F(WebIdentityTest, NotConfiguredWithoutTokenFile) {
  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/R");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(creds.error().message,
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set, no web_identity_token_file in "
            "profile default)");
}

TEST_F(WebIdentityTest, ConfigurationErrors) {
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.path() + "/missing-token");
  auto no_role = get();
  ASSERT_FALSE(no_role);
  EXPECT_EQ(no_role.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(no_role.error().message.find("no role ARN"), std::string::npos);

  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/R");
  auto unreadable = get();
  ASSERT_FALSE(unreadable);
  EXPECT_NE(unreadable.error().message.find("cannot read the web identity token file"),
            std::string::npos);

  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("empty", "\n"));
  auto empty = get();
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("is empty"), std::string::npos);
  EXPECT_EQ(transport->calls(), 0u);
}

// IDPCommunicationError is transient: retried; InvalidIdentityToken is not.
TEST_F(WebIdentityTest, RetriesIdpCommunicationErrorOnly) {
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("token", "tok-123456789"));
  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/R");
  transport->push_response(400, testing::sts_error_xml("IDPCommunicationError", "IdP timed out"));
  sts_ok();
  ASSERT_TRUE(get());
  EXPECT_EQ(transport->calls(), 2u);

  transport->push_response(400, testing::sts_error_xml("InvalidIdentityToken", "bad audience"));
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::AccessDenied);
  EXPECT_EQ(creds.error().aws_type, "InvalidIdentityToken");
  EXPECT_EQ(transport->calls(), 3u);
}

}  // namespace
}  // namespace bedrock::credentials
