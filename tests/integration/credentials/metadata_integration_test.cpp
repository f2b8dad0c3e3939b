// Container endpoint and EC2 IMDSv2 through the real CurlTransport against loopback servers:
// headers on the wire, request order, malformed answers, and stalling servers.
#include <gtest/gtest.h>

#include <mutex>

#include "bedrock/credentials/container_provider.h"
#include "bedrock/credentials/default_chain.h"
#include "bedrock/credentials/imds_provider.h"
#include "bedrock/http/curl_transport.h"
#include "fakes/fake_clock.h"
#include "fakes/loopback_server.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::CredentialsTempDir;
using testing::LoopbackRequest;
using testing::LoopbackResponse;
using testing::LoopbackServer;
using testing::metadata_json;

std::string iso(WallTime t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class MetadataIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server.start()); }
  ProviderContext context() { return ProviderContext{&env, &clock, transport, ""}; }

  LoopbackServer server{
      [](const LoopbackRequest&) { return LoopbackResponse::text(500, "unset"); }};
  CredentialsTempDir dir;
  MapEnvironment env;
  FakeClock clock;
  std::shared_ptr<http::Transport> transport = std::make_shared<http::CurlTransport>();
};

// The token from the file arrives as the Authorization header, verbatim.
TEST_F(MetadataIntegrationTest, ContainerSendsAuthorizationToken) {
  server.set_handler([](const LoopbackRequest& req) {
    if (req.header("Authorization") != "integration-pod-token") {
      return LoopbackResponse::json(401, R"({"message":"bad token"})");
    }
    return LoopbackResponse::json(
        200, metadata_json("ASIACONT", "cont-secret", "cont-token", "2024-01-15T18:00:00Z"));
  });
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/v1/credentials?x=1"));
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.write("token", "integration-pod-token"));
  auto creds = ContainerProvider(context()).get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIACONT");
  EXPECT_EQ(creds->session_token, "cont-token");
  auto req = server.requests().at(0);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/v1/credentials?x=1");
  EXPECT_EQ(req.header("Accept"), "application/json");

  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.write("token", "rotated-wrong-token"));
  auto denied = ContainerProvider(context()).get();
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::AccessDenied);
  EXPECT_EQ(denied.error().http_status, 401);
}

TEST_F(MetadataIntegrationTest, ContainerMalformedJson) {
  server.set_handler([](const LoopbackRequest&) {
    return LoopbackResponse::json(200, R"({"AccessKeyId": "A", "SecretAccessKey": )");
  });
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds"));
  auto creds = ContainerProvider(context()).get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_EQ(server.requests_served(), 3u);  // retried like any fetch failure
}

// A server that never answers: each attempt ends at the timeout, and all three together stay
// well within their budget.
TEST_F(MetadataIntegrationTest, ContainerGivesUpOnStallingServer) {
  server.set_handler([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds"));
  ContainerOptions options;
  options.timeout = milliseconds{250};
  auto start = steady_clock::now();
  auto creds = ContainerProvider(context(), options).get();
  auto took = steady_clock::now() - start;
  ASSERT_FALSE(creds);
  EXPECT_TRUE(creds.error().code == ErrorCode::ReadTimeout ||
              creds.error().code == ErrorCode::DeadlineExceeded)
      << describe(creds.error());
  EXPECT_EQ(server.requests_served(), 3u);
  EXPECT_GE(took, milliseconds{3 * 250});
  EXPECT_LT(took, milliseconds{3 * 250 + 1500});
  // The 1 s pauses between attempts went to the fake clock, not real time.
  EXPECT_EQ(clock.steady().time_since_epoch(), std::chrono::seconds{2});
}

// IMDSv2 on the wire: the token PUT (with TTL) comes first; both GETs carry the token.
TEST_F(MetadataIntegrationTest, ImdsTokenPrecedesGets) {
  server.set_handler([](const LoopbackRequest& req) {
    if (req.method == "PUT" && req.target == "/latest/api/token") {
      if (req.header("x-aws-ec2-metadata-token-ttl-seconds") != "21600") {
        return LoopbackResponse::text(400, "missing ttl");
      }
      return LoopbackResponse::text(200, "AQAEAimds-session-token==");
    }
    if (req.header("x-aws-ec2-metadata-token") != "AQAEAimds-session-token==") {
      return LoopbackResponse::text(401, "");
    }
    if (req.target == "/latest/meta-data/iam/security-credentials/") {
      return LoopbackResponse::text(200, "IntegrationRole");
    }
    if (req.target == "/latest/meta-data/iam/security-credentials/IntegrationRole") {
      return LoopbackResponse::text(
          200, metadata_json("ASIAIMDSINT", "imds-secret", "imds-token", "2024-01-15T18:00:00Z"));
    }
    return LoopbackResponse::text(404, "");
  });
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"));
  auto creds = ImdsProvider(context(), nullptr).get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAIMDSINT");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[2].target, "/latest/meta-data/iam/security-credentials/IntegrationRole");
  for (size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].header("x-aws-ec2-metadata-token"), "AQAEAimds-session-token==");
  }
}

// A stalling metadata service means "not on EC2" after the configured timeout.
TEST_F(MetadataIntegrationTest, ImdsStallIsNotConfiguredWithinTimeout) {
  server.set_handler([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"));
  env.set("AWS_METADATA_SERVICE_TIMEOUT", "0.3");
  auto start = steady_clock::now();
  auto creds = ImdsProvider(context(), nullptr).get();
  auto took = steady_clock::now() - start;
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_NE(creds.error().message.find("no answer from " + server.url("") + " within 300 ms"),
            std::string::npos)
      << creds.error().message;
  EXPECT_GE(took, milliseconds{300});
  EXPECT_LT(took, milliseconds{1500});
}

TEST_F(MetadataIntegrationTest, ImdsErrorDocumentAndMissingFields) {
  std::string body = R"({"Code": "AssumeRoleUnauthorizedAccess", "Message": "denied"})";
  std::mutex mu;
  server.set_handler([&](const LoopbackRequest& req) {
    if (req.method == "PUT") return LoopbackResponse::text(200, "tok-abcdefgh");
    if (req.target.back() == '/') return LoopbackResponse::text(200, "Role");
    std::lock_guard lock(mu);
    return LoopbackResponse::json(200, body);
  });
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"));
  auto coded = ImdsProvider(context(), nullptr).get();
  ASSERT_FALSE(coded);
  EXPECT_EQ(coded.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(coded.error().message.find("AssumeRoleUnauthorizedAccess: denied"), std::string::npos);
  {
    std::lock_guard lock(mu);
    body = R"({"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2024-01-15T18:00:00Z"})";
  }
  auto missing = ImdsProvider(context(), nullptr).get();
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("without Token"), std::string::npos);
}

// End to end through make_default_chain with its own default CurlTransport: nothing else is
// configured, IMDS answers, credentials are cached and refreshed on the fake clock.
TEST_F(MetadataIntegrationTest, DefaultChainReachesImdsAndRefreshes) {
  std::mutex mu;
  int generation = 0;
  server.set_handler([&](const LoopbackRequest& req) {
    if (req.method == "PUT") return LoopbackResponse::text(200, "tok-abcdefgh");
    if (req.target.back() == '/') return LoopbackResponse::text(200, "Role");
    std::lock_guard lock(mu);
    ++generation;
    return LoopbackResponse::json(200,
                                  metadata_json("ASIAGEN" + std::to_string(generation), "s", "t",
                                                iso(clock.wall() + std::chrono::hours{6})));
  });
  env.set("AWS_CONFIG_FILE", dir.path() + "/none");
  env.set("AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none");
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"));
  ChainOptions options;
  options.env = &env;
  options.clock = &clock;
  auto chain = make_default_chain(std::move(options));
  EXPECT_EQ(chain->get()->access_key_id, "ASIAGEN1");
  clock.advance(std::chrono::hours{5});
  EXPECT_EQ(chain->get()->access_key_id, "ASIAGEN1");
  EXPECT_EQ(server.requests_served(), 3u);
  clock.advance(std::chrono::minutes{50});  // 10 min left: advisory refresh
  auto refreshed = chain->get();
  ASSERT_TRUE(refreshed) << refreshed.error().message;
  EXPECT_EQ(refreshed->access_key_id, "ASIAGEN2");
  EXPECT_EQ(refreshed->source, "imds");
  EXPECT_EQ(server.requests_served(), 6u);
}

}  // namespace
}  // namespace bedrock::credentials
