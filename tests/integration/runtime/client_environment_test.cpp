// BedrockClient::from_environment: region, endpoint, credentials and auth scheme picked up the
// way the AWS SDKs do, checked on the wire against a loopback server.
#include <gtest/gtest.h>

#include "bedrock/runtime/bedrock_client.h"
#include "fakes/loopback_server.h"
#include "suite_constants.h"

namespace bedrock::runtime {
namespace {

using bedrock::testing::LoopbackRequest;
using bedrock::testing::LoopbackResponse;
using bedrock::testing::LoopbackServer;

MapEnvironment base_env(const LoopbackServer& server) {
  MapEnvironment env;
  env.set("AWS_REGION", "eu-west-3");
  env.set("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.url(""));
  env.set("AWS_CONFIG_FILE", "/nonexistent/bedrock-test-config");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/bedrock-test-credentials");
  env.set("HOME", "/nonexistent");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  env.set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT");
  env.set("AWS_SECRET_ACCESS_KEY", "secretsecretsecretsecret");
  return env;
}

LoopbackServer ok_server() {
  return LoopbackServer([](const LoopbackRequest&) {
    return LoopbackResponse::json(
        200,
        R"({"content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}})");
  });
}

// Keys from the environment sign with the environment's region.
TEST(ClientEnvironment, SigV4FromEnvironment) {
  auto server = ok_server();
  ASSERT_TRUE(server.start());
  auto env = base_env(server);
  auto client = BedrockClient::from_environment({}, env);
  ASSERT_TRUE(client.has_value()) << describe(client.error());
  auto r = (*client)->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  const auto req = server.requests().at(0);  // header() views into it: keep it alive
  auto auth = req.header("Authorization");
  ASSERT_TRUE(auth);
  EXPECT_NE(auth->find("Credential=AKIDENVIRONMENT/"), std::string::npos) << *auth;
  EXPECT_NE(auth->find("/eu-west-3/bedrock/aws4_request"), std::string::npos) << *auth;
}

// AWS_BEARER_TOKEN_BEDROCK wins over keys (botocore parity)...
TEST(ClientEnvironment, BearerTokenPreferred) {
  auto server = ok_server();
  ASSERT_TRUE(server.start());
  auto env = base_env(server);
  env.set("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-test123");
  auto client = BedrockClient::from_environment({}, env);
  ASSERT_TRUE(client.has_value());
  ASSERT_TRUE((*client)->invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  auto req = server.requests().at(0);
  EXPECT_EQ(req.header("Authorization"), "Bearer bedrock-api-key-test123");
  EXPECT_FALSE(req.header("X-Amz-Date"));
}

// ...unless AWS_AUTH_SCHEME_PREFERENCE puts sigv4 first.
TEST(ClientEnvironment, AuthSchemePreferenceSigV4) {
  auto server = ok_server();
  ASSERT_TRUE(server.start());
  auto env = base_env(server);
  env.set("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-test123");
  env.set("AWS_AUTH_SCHEME_PREFERENCE", "sigv4, httpBearerAuth");
  auto client = BedrockClient::from_environment({}, env);
  ASSERT_TRUE(client.has_value());
  ASSERT_TRUE((*client)->invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  const auto req = server.requests().at(0);  // header() views into it: keep it alive
  auto auth = req.header("Authorization");
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->rfind("AWS4-HMAC-SHA256", 0), 0u) << *auth;
}

// No region anywhere: a clear configuration error, nothing sent.
TEST(ClientEnvironment, MissingRegion) {
  auto server = ok_server();
  ASSERT_TRUE(server.start());
  auto env = base_env(server);
  env.set("AWS_REGION", "");
  auto client = BedrockClient::from_environment({}, env);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(client.error().message.find("Region"), std::string::npos) << client.error().message;
}

// AWS_MAX_ATTEMPTS and AWS_RETRY_MODE reach the retry policy.
TEST(ClientEnvironment, RetrySettingsFromEnvironment) {
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::json(503, R"({"message":"down"})",
                                  {{"x-amzn-ErrorType", "ServiceUnavailableException"}});
  });
  ASSERT_TRUE(server.start());
  auto env = base_env(server);
  env.set("AWS_MAX_ATTEMPTS", "2");
  env.set("AWS_RETRY_MODE", "adaptive");
  auto client = BedrockClient::from_environment({}, env);
  ASSERT_TRUE(client.has_value());
  EXPECT_NE((*client)->rate_limiter(), nullptr);
  auto r = (*client)->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(server.requests_served(), 2u);
  const auto second = server.requests().at(1);
  EXPECT_EQ(
      second.header("amz-sdk-request"),
      "ttl=" + std::string(second.header("amz-sdk-request")->substr(4, 16)) + "; attempt=2; max=2");
}

}  // namespace
}  // namespace bedrock::runtime
