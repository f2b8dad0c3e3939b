// STS AssumeRole / AssumeRoleWithWebIdentity through the real CurlTransport against a loopback
// server standing in for STS (AWS_ENDPOINT_URL_STS points at it).
#include <gtest/gtest.h>

#include <mutex>

#include "bedrock/credentials/assume_role_provider.h"
#include "bedrock/credentials/default_chain.h"
#include "bedrock/credentials/web_identity_provider.h"
#include "bedrock/http/curl_transport.h"
#include "fakes/fake_clock.h"
#include "fakes/loopback_server.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::CredentialsTempDir;
using testing::LoopbackRequest;
using testing::LoopbackResponse;
using testing::LoopbackServer;
using testing::parse_form;

constexpr const char* kRole = "arn:aws:iam::123456789012:role/Integration";

class StsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.start());
    env.set("AWS_ENDPOINT_URL_STS", server.url(""));
    env.set("AWS_CONFIG_FILE", dir.write("config", std::string("[profile dev]\nrole_arn = ") +
                                                       kRole + "\nsource_profile = base\n"));
    env.set("AWS_SHARED_CREDENTIALS_FILE",
            dir.write("credentials",
                      "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = "
                      "base-secret-integration\n"));
    env.set("AWS_EC2_METADATA_DISABLED", "true");
  }
  void respond(LoopbackServer::Handler handler) { server.set_handler(std::move(handler)); }
  std::shared_ptr<CredentialsProvider> chain(std::string profile) {
    ChainOptions options;
    options.env = &env;
    options.clock = &clock;
    options.transport = transport;
    options.profile = std::move(profile);
    options.region = "ap-southeast-2";
    return make_default_chain(std::move(options));
  }
  // Expiration one hour after the fake clock's current time.
  std::string in_one_hour() const {
    std::time_t t = std::chrono::system_clock::to_time_t(clock.wall() + std::chrono::hours{1});
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }

  LoopbackServer server{
      [](const LoopbackRequest&) { return LoopbackResponse::text(500, "unset"); }};
  CredentialsTempDir dir;
  MapEnvironment env;
  FakeClock clock;
  std::shared_ptr<http::Transport> transport = std::make_shared<http::CurlTransport>();
};

// The request on the wire is a SigV4 (service sts) signed form POST with the right fields.
TEST_F(StsIntegrationTest, AssumeRoleIsSignedFormPost) {
  respond([this](const LoopbackRequest&) {
    return LoopbackResponse::text(
        200,
        testing::sts_success_xml("AssumeRole", "ASIAINTEG", "integ-secret", "integ-token",
                                 in_one_hour()),
        {{"Content-Type", "text/xml"}});
  });
  auto creds = chain("dev")->get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAINTEG");
  EXPECT_EQ(creds->secret_access_key, "integ-secret");
  EXPECT_EQ(creds->session_token, "integ-token");
  EXPECT_EQ(creds->source, "assume-role");

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const LoopbackRequest& req = requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/");
  EXPECT_EQ(req.header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  auto form = parse_form(req.body);
  EXPECT_EQ(form["Action"], "AssumeRole");
  EXPECT_EQ(form["Version"], "2011-06-15");
  EXPECT_EQ(form["RoleArn"], kRole);
  EXPECT_EQ(form["RoleSessionName"], "bedrock-content-1705320000");
  Credentials base;
  base.access_key_id = "AKIDBASE";
  base.secret_access_key = "base-secret-integration";
  EXPECT_EQ(testing::verify_sigv4(req.method, server.url("/"), req.headers, req.body, base,
                                  "ap-southeast-2", "sts"),
            "");
  EXPECT_NE(req.header("Authorization")->find("/ap-southeast-2/sts/aws4_request"),
            std::string::npos);
}

// Web identity: unsigned, token from the file, XML parsed.
TEST_F(StsIntegrationTest, AssumeRoleWithWebIdentity) {
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("token", "integration-oidc-token"));
  env.set("AWS_ROLE_ARN", kRole);
  env.set("AWS_ROLE_SESSION_NAME", "integ");
  respond([this](const LoopbackRequest&) {
    return LoopbackResponse::text(
        200, testing::sts_success_xml("AssumeRoleWithWebIdentity", "ASIAWEBINTEG", "web-secret",
                                      "web-token", in_one_hour()));
  });
  ProviderContext context{&env, &clock, transport, "us-east-2"};
  auto creds = WebIdentityProvider(context, nullptr, "default").get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAWEBINTEG");
  auto req = server.requests().at(0);
  EXPECT_FALSE(req.header("Authorization").has_value());
  auto form = parse_form(req.body);
  EXPECT_EQ(form["Action"], "AssumeRoleWithWebIdentity");
  EXPECT_EQ(form["WebIdentityToken"], "integration-oidc-token");
  EXPECT_EQ(form["RoleSessionName"], "integ");
}

// STS's error document becomes a typed error; the chain stops there.
TEST_F(StsIntegrationTest, ErrorResponseIsMapped) {
  respond([](const LoopbackRequest&) {
    return LoopbackResponse::text(
        403, testing::sts_error_xml("AccessDenied", "not authorized to perform sts:AssumeRole"),
        {{"x-amzn-RequestId", "hdr-request-id"}});
  });
  auto creds = chain("dev")->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::AccessDenied);
  EXPECT_EQ(creds.error().http_status, 403);
  EXPECT_EQ(creds.error().request_id, "hdr-request-id");
  EXPECT_NE(creds.error().message.find("not authorized to perform sts:AssumeRole"),
            std::string::npos);
}

TEST_F(StsIntegrationTest, MalformedXmlIsInvalidResponse) {
  respond([](const LoopbackRequest&) {
    return LoopbackResponse::text(200, "<AssumeRoleResponse><AssumeRoleResult><Credentials>");
  });
  auto creds = chain("dev")->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(creds.error().message.find("unparseable XML"), std::string::npos);
}

// Credentials are cached until the refresh window, then STS is called again.
TEST_F(StsIntegrationTest, RefreshesBeforeExpiry) {
  std::mutex mu;
  int served = 0;
  respond([&](const LoopbackRequest&) {
    std::lock_guard lock(mu);
    ++served;
    return LoopbackResponse::text(
        200, testing::sts_success_xml("AssumeRole", "ASIAGEN" + std::to_string(served), "s",
                                      "t-" + std::to_string(served), in_one_hour()));
  });
  auto provider = chain("dev");
  EXPECT_EQ(provider->get()->access_key_id, "ASIAGEN1");
  clock.advance(std::chrono::minutes{40});
  EXPECT_EQ(provider->get()->access_key_id, "ASIAGEN1");
  EXPECT_EQ(server.requests_served(), 1u);
  clock.advance(std::chrono::minutes{12});  // 8 min left
  EXPECT_EQ(provider->get()->access_key_id, "ASIAGEN2");
  EXPECT_EQ(server.requests_served(), 2u);
  // STS handed back credentials that expire within the hour of the new fake time: cached again.
  EXPECT_EQ(provider->get()->access_key_id, "ASIAGEN2");
  EXPECT_EQ(server.requests_served(), 2u);
}

}  // namespace
}  // namespace bedrock::credentials
