// Profile role_arn -> STS AssumeRole over a scripted transport: request shape, signing, source
// profiles, credential_source, and configuration errors.
#include "bedrock/credentials/assume_role_provider.h"

#include <gtest/gtest.h>

#include "credentials/sts_client.h"
#include "fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::CredentialsTempDir;
using testing::FakeTransport;
using testing::parse_form;
using testing::sts_error_xml;
using testing::sts_success_xml;

constexpr const char* kRole = "arn:aws:iam::123456789012:role/Dev";

class AssumeRoleTest : public ::testing::Test {
 protected:
  void files(const std::string& config, const std::string& credentials) {
    env.set("AWS_CONFIG_FILE", dir.write("config", config));
    env.set("AWS_SHARED_CREDENTIALS_FILE", dir.write("credentials", credentials));
  }
  Result<Credentials> assume(const std::string& profile) {
    auto sources = load_profile_sources(env, profile);
    if (!sources) return fail(sources.error());
    ProviderContext context;
    context.env = &env;
    context.clock = &clock;
    context.transport = transport;
    context.region = "us-west-2";
    return AssumeRoleProvider(context, *sources, profile).get();
  }
  void sts_ok(std::string key = "ASIAROLE") {
    transport->push_response(200, sts_success_xml("AssumeRole", key, "role-secret-" + key,
                                                  "role-token-" + key, "2024-01-15T13:00:00Z"));
  }

  CredentialsTempDir dir;
  MapEnvironment env;
  FakeClock clock;  // 2024-01-15T12:00:00Z
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
};

// The request is the Query API form, SigV4-signed for sts with the source profile's keys.
TEST_F(AssumeRoleTest, SignsAssumeRoleWithSourceProfileKeys) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole +
            "\nsource_profile = base\nrole_session_name = my-session\nexternal_id = ext-42\n"
            "duration_seconds = 1800\n",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  sts_ok();
  auto creds = assume("dev");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAROLE");
  EXPECT_EQ(creds->secret_access_key, "role-secret-ASIAROLE");
  EXPECT_EQ(creds->session_token, "role-token-ASIAROLE");
  EXPECT_EQ(creds->expiration, WallTime{std::chrono::seconds{1705323600}});
  EXPECT_EQ(creds->source, "assume-role");

  ASSERT_EQ(transport->calls(), 1u);
  const http::Request req = transport->requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://sts.us-west-2.amazonaws.com/");
  EXPECT_EQ(testing::header_of(req, "Content-Type"),
            "application/x-www-form-urlencoded; charset=utf-8");
  auto form = parse_form(req.body);
  EXPECT_EQ(form, (std::map<std::string, std::string>{{"Action", "AssumeRole"},
                                                      {"Version", "2011-06-15"},
                                                      {"RoleArn", kRole},
                                                      {"RoleSessionName", "my-session"},
                                                      {"ExternalId", "ext-42"},
                                                      {"DurationSeconds", "1800"}}));
  EXPECT_EQ(testing::header_of(req, "X-Amz-Date"), "20240115T120000Z");
  Credentials base;
  base.access_key_id = "AKIDBASE";
  base.secret_access_key = "base-secret";
  EXPECT_EQ(
      testing::verify_sigv4(req.method, req.url, req.headers, req.body, base, "us-west-2", "sts"),
      "");
  // The check itself can fail: a different secret does not verify.
  base.secret_access_key = "other-secret";
  EXPECT_NE(
      testing::verify_sigv4(req.method, req.url, req.headers, req.body, base, "us-west-2", "sts"),
      "");
}

// The session name defaults to a timestamped one; the endpoint follows AWS_ENDPOINT_URL_STS.
TEST_F(AssumeRoleTest, DefaultsAndEndpointOverride) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\nsource_profile = dev\n" +
            "aws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n",
        "");
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
  env.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4566");
  sts_ok();
  ASSERT_TRUE(assume("dev"));
  const http::Request req = transport->requests().at(0);
  EXPECT_EQ(req.url, "http://127.0.0.1:4566/");
  auto form = parse_form(req.body);
  EXPECT_EQ(form["RoleSessionName"], "bedrock-content-1705320000");
  EXPECT_FALSE(form.contains("ExternalId"));
  EXPECT_FALSE(form.contains("DurationSeconds"));
  // A profile naming itself uses its own static keys (botocore allows exactly this loop).
  EXPECT_NE(testing::header_of(req, "Authorization")->find("Credential=AKIDSELF/"),
            std::string::npos);
}

// Role chains: dev -> mid (another role) -> base keys; two STS calls, each signed by the
// previous step's credentials.
TEST_F(AssumeRoleTest, ChainsThroughSourceProfiles) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole +
            "\nsource_profile = mid\n"
            "[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/Mid\nsource_profile = base\n",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  sts_ok("ASIAMID");
  sts_ok("ASIADEV");
  auto creds = assume("dev");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIADEV");
  auto requests = transport->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(parse_form(requests[0].body)["RoleArn"], "arn:aws:iam::123456789012:role/Mid");
  EXPECT_NE(testing::header_of(requests[0], "Authorization")->find("Credential=AKIDBASE/"),
            std::string::npos);
  EXPECT_EQ(parse_form(requests[1].body)["RoleArn"], kRole);
  EXPECT_NE(testing::header_of(requests[1], "Authorization")->find("Credential=ASIAMID/"),
            std::string::npos);
  EXPECT_EQ(testing::header_of(requests[1], "X-Amz-Security-Token"), "role-token-ASIAMID");
}

// A source profile that is itself a web-identity profile: AssumeRoleWithWebIdentity (unsigned)
// first, then AssumeRole signed with its result.
TEST_F(AssumeRoleTest, SourceProfileWithWebIdentity) {
  std::string token = dir.write("oidc", "source-oidc-token");
  files(std::string("[profile dev]\nrole_arn = ") + kRole +
            "\nsource_profile = ci\n"
            "[profile ci]\nrole_arn = arn:aws:iam::1:role/Ci\nweb_identity_token_file = " +
            token + "\n",
        "");
  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/IgnoredForSourceProfiles");
  transport->push_response(200, sts_success_xml("AssumeRoleWithWebIdentity", "ASIACI", "ci-secret",
                                                "ci-token", "2024-01-15T13:00:00Z"));
  sts_ok("ASIADEV");
  auto creds = assume("dev");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIADEV");
  auto requests = transport->requests();
  ASSERT_EQ(requests.size(), 2u);
  auto first = parse_form(requests[0].body);
  EXPECT_EQ(first["Action"], "AssumeRoleWithWebIdentity");
  EXPECT_EQ(first["RoleArn"], "arn:aws:iam::1:role/Ci");
  EXPECT_FALSE(testing::header_of(requests[0], "Authorization").has_value());
  EXPECT_NE(testing::header_of(requests[1], "Authorization")->find("Credential=ASIACI/"),
            std::string::npos);
}

// a -> b -> a never terminates: detected before any STS call.
TEST_F(AssumeRoleTest, DetectsSourceProfileCycles) {
  files(
      "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n",
      "");
  auto creds = assume("a");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("infinite loop"), std::string::npos)
      << creds.error().message;
  EXPECT_EQ(transport->calls(), 0u);
}

// A profile naming itself without static keys is a loop too.
TEST_F(AssumeRoleTest, SelfReferenceWithoutKeysIsALoop) {
  files("[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = a\n", "");
  auto creds = assume("a");
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("infinite loop"), std::string::npos);
}

// credential_source = Environment signs with the environment's keys.
TEST_F(AssumeRoleTest, CredentialSourceEnvironment) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\ncredential_source = Environment\n",
        "");
  env.set("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
  env.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  sts_ok();
  ASSERT_TRUE(assume("dev"));
  EXPECT_NE(testing::header_of(transport->requests()[0], "Authorization")
                ->find("Credential=AKIDFROMENV/"),
            std::string::npos);
}

// credential_source = EcsContainer fetches the container credentials first, then STS.
TEST_F(AssumeRoleTest, CredentialSourceEcsContainer) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\ncredential_source = EcsContainer\n",
        "");
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  transport->push_response(
      200, testing::metadata_json("ASIAECS", "ecs-secret", "ecs-token", "2024-01-15T18:00:00Z"));
  sts_ok();
  ASSERT_TRUE(assume("dev"));
  auto requests = transport->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, "http://127.0.0.1:9/creds");
  EXPECT_NE(testing::header_of(requests[1], "Authorization")->find("Credential=ASIAECS/"),
            std::string::npos);
}

TEST_F(AssumeRoleTest, CredentialSourceWithNothingThereIsAnError) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\ncredential_source = Environment\n",
        "");
  auto creds = assume("dev");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("credential_source Environment yielded no credentials"),
            std::string::npos)
      << creds.error().message;
}

// Each misconfiguration gets a ConfigurationInvalid naming the problem; no STS call is made.
TEST_F(AssumeRoleTest, RejectsBadConfigurations) {
  struct Case {
    std::string profile_body;
    std::string expected;
  };
  std::string role = std::string("role_arn = ") + kRole + "\n";
  for (const Case& c : {
           Case{role, "neither source_profile nor credential_source"},
           Case{role + "source_profile = base\ncredential_source = Environment\n",
                "both source_profile and credential_source"},
           Case{role + "credential_source = Laptop\n", "'Laptop' is not one of"},
           Case{role + "source_profile = nowhere\n", "source_profile 'nowhere' does not exist"},
           Case{role + "source_profile = empty\n", "source profile empty has no credentials"},
           Case{role + "source_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n", "mfa_serial"},
           Case{role + "source_profile = base\nduration_seconds = 60\n", "duration_seconds '60'"},
       }) {
    files("[profile dev]\n" + c.profile_body + "[profile empty]\nregion = us-east-1\n",
          "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    auto creds = assume("dev");
    ASSERT_FALSE(creds) << c.profile_body;
    EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid) << c.profile_body;
    EXPECT_NE(creds.error().message.find(c.expected), std::string::npos)
        << c.profile_body << " -> " << creds.error().message;
  }
  EXPECT_EQ(transport->calls(), 0u);
}

// STS's error document becomes a typed error with its message and request id.
TEST_F(AssumeRoleTest, MapsStsErrors) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\nsource_profile = base\n",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  transport->push_response(403, sts_error_xml("AccessDenied",
                                              "User is not authorized to perform: "
                                              "sts:AssumeRole"));
  auto creds = assume("dev");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::AccessDenied);
  EXPECT_EQ(creds.error().http_status, 403);
  EXPECT_EQ(creds.error().request_id, "req-err-7");
  EXPECT_EQ(creds.error().aws_type, "AccessDenied");
  EXPECT_NE(creds.error().message.find("not authorized to perform: sts:AssumeRole"),
            std::string::npos);
  EXPECT_NE(creds.error().message.find(kRole), std::string::npos);
  EXPECT_EQ(transport->calls(), 1u);  // not retryable
}

// Throttling is retried (within a budget of 3 attempts) with backoff on the injected clock.
TEST_F(AssumeRoleTest, RetriesThrottlingThenSucceeds) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\nsource_profile = base\n",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  transport->push_response(400, sts_error_xml("Throttling", "Rate exceeded"));
  transport->push_error(ErrorCode::ConnectionReset, "reset by peer");
  sts_ok();
  auto before = clock.steady();
  auto creds = assume("dev");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(transport->calls(), 3u);
  EXPECT_EQ(clock.steady() - before, std::chrono::milliseconds{300});
}

TEST_F(AssumeRoleTest, GivesUpAfterThreeAttempts) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\nsource_profile = base\n",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  for (int i = 0; i < 5; ++i) transport->push_response(503, "Service Unavailable");
  auto creds = assume("dev");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ServiceUnavailable);
  EXPECT_EQ(transport->calls(), 3u);
}

// Success status with a body that is not what STS sends: InvalidResponse, never garbage keys.
TEST_F(AssumeRoleTest, RejectsMalformedSuccessBodies) {
  files(std::string("[profile dev]\nrole_arn = ") + kRole + "\nsource_profile = base\n",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  struct Case {
    std::string body;
    std::string expected;
  };
  for (const Case& c : {
           Case{"<AssumeRoleResponse><AssumeRoleResult>", "unparseable XML"},
           Case{"{\"json\": true}", "unparseable XML"},
           Case{"<AssumeRoleResponse><Other/></AssumeRoleResponse>", "without AssumeRoleResult"},
           Case{testing::sts_success_xml("AssumeRole", "", "s", "t", "2024-01-15T13:00:00Z"),
                "without AccessKeyId"},
           Case{testing::sts_success_xml("AssumeRole", "A", "s", "t", "later"),
                "unparseable Expiration"},
       }) {
    transport->push_response(200, c.body);
    auto creds = assume("dev");
    ASSERT_FALSE(creds) << c.body;
    EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse) << c.body;
    EXPECT_NE(creds.error().message.find(c.expected), std::string::npos)
        << c.body << " -> " << creds.error().message;
  }
}

TEST_F(AssumeRoleTest, NotConfiguredWithoutRoleArn) {
  files("[default]\nregion = us-east-1\n", "");
  auto creds = assume("default");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(creds.error().message, "assume role (no role_arn in profile default)");
}

TEST(StsEndpoint, RegionalDefaultAndOverrides) {
  MapEnvironment env;
  EXPECT_EQ(cred_detail::sts_endpoint(env, "eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(cred_detail::sts_endpoint(env, ""), "https://sts.us-east-1.amazonaws.com");
  EXPECT_EQ(cred_detail::sts_endpoint(env, "cn-north-1"),
            "https://sts.cn-north-1.amazonaws.com.cn");
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
  EXPECT_EQ(cred_detail::sts_endpoint(env, "eu-west-1"), "http://127.0.0.1:5000");
  env.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:6000");
  EXPECT_EQ(cred_detail::sts_endpoint(env, "eu-west-1"), "http://127.0.0.1:6000");
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(cred_detail::sts_endpoint(env, "eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
}

}  // namespace
}  // namespace bedrock::credentials
