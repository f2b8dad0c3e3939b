// Container credentials endpoint over a scripted transport.
#include "bedrock/credentials/container_provider.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::CredentialsTempDir;
using testing::FakeTransport;
using testing::metadata_json;

class ContainerTest : public ::testing::Test {
 protected:
  Result<Credentials> get() {
    ProviderContext context;
    context.env = &env;
    context.clock = &clock;
    context.transport = transport;
    return ContainerProvider(context).get();
  }
  CredentialsTempDir dir;
  MapEnvironment env;
  FakeClock clock;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
};

// ECS: the relative URI goes to 169.254.170.2, with the 2 s limits on every wait.
TEST_F(ContainerTest, RelativeUriUsesEcsAddress) {
  env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/ignored");
  transport->push_response(
      200, metadata_json("ASIAECS", "ecs-secret", "ecs-token", "2024-01-15T18:00:00Z"));
  auto creds = get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAECS");
  EXPECT_EQ(creds->session_token, "ecs-token");
  EXPECT_EQ(creds->source, "container");
  const http::Request req = transport->requests().at(0);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_EQ(testing::header_of(req, "Accept"), "application/json");
  EXPECT_FALSE(testing::header_of(req, "Authorization").has_value());
  const http::CallOptions options = transport->call_options().at(0);
  EXPECT_EQ(options.connect_timeout, std::chrono::milliseconds{2000});
  EXPECT_EQ(options.read_timeout, std::chrono::milliseconds{2000});
  ASSERT_TRUE(options.deadline.has_value());
}

// EKS Pod Identity: full URI plus a token file re-read on each fetch.
TEST_F(ContainerTest, FullUriWithTokenFile) {
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
  std::string token_file = dir.write("token", "pod-identity-token-1\n");
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file);
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-file-set");
  transport->set_default(
      [](const http::Request&, const http::CallOptions&) -> Result<http::Response> {
        return http::Response{200, {}, metadata_json("A", "S", "T", "2024-01-15T18:00:00Z")};
      });
  ASSERT_TRUE(get());
  dir.write("token", "pod-identity-token-2");
  ASSERT_TRUE(get());
  auto requests = transport->requests();
  EXPECT_EQ(testing::header_of(requests.at(0), "Authorization"), "pod-identity-token-1");
  EXPECT_EQ(testing::header_of(requests.at(1), "Authorization"), "pod-identity-token-2");
}

// Plain http is only allowed to this machine and the agent addresses.
TEST_F(ContainerTest, HostAllowList) {
  transport->set_default(
      [](const http::Request&, const http::CallOptions&) -> Result<http::Response> {
        return http::Response{200, {}, metadata_json("A", "S", "T", "2024-01-15T18:00:00Z")};
      });
  for (const char* ok :
       {"http://127.0.0.1:8080/c", "http://127.1.2.3/c", "http://[::1]:9/c", "http://localhost/c",
        "http://169.254.170.2/c", "http://[fd00:ec2::23]/c", "https://creds.example.com/c"}) {
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok);
    EXPECT_TRUE(get()) << ok;
  }
  for (const char* bad : {"http://creds.example.com/c", "http://10.0.0.1/c", "http://[::2]/c",
                          "ftp://127.0.0.1/c", "not a url"}) {
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad);
    auto creds = get();
    ASSERT_FALSE(creds) << bad;
    EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid) << bad;
  }
}

// A token with CR/LF could inject headers: refused before any request.
TEST_F(ContainerTest, RejectsTokenWithNewline) {
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/c");
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nX-Evil: 1");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("CR or LF"), std::string::npos);
  EXPECT_EQ(transport->calls(), 0u);
}

// Three attempts with 1 s pauses (on the fake clock), then the last failure.
TEST_F(ContainerTest, RetriesThreeTimesThenFails) {
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/c");
  transport->push_error(ErrorCode::ConnectionFailed, "refused");
  transport->push_response(500, "oops");
  transport->push_response(200, "<html>not json</html>");
  auto before = clock.steady();
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(creds.error().message.find("did not return JSON"), std::string::npos);
  EXPECT_EQ(transport->calls(), 3u);
  EXPECT_EQ(clock.steady() - before, std::chrono::seconds{2});
}

TEST_F(ContainerTest, RecoversOnSecondAttempt) {
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/c");
  transport->push_error(ErrorCode::ReadTimeout, "stalled");
  transport->push_response(200, metadata_json("ASIA2", "S", "T", "2024-01-15T18:00:00Z"));
  auto creds = get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "ASIA2");
}

// Complete JSON without the required fields is final: no retry.
TEST_F(ContainerTest, MissingFieldsFailWithoutRetry) {
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/c");
  transport->push_response(200, R"({"AccessKeyId": "A", "SecretAccessKey": "S"})");
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(creds.error().message.find("without Token"), std::string::npos);
  EXPECT_EQ(transport->calls(), 1u);
}

TEST_F(ContainerTest, ForbiddenIsAccessDenied) {
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/c");
  transport->set_default(
      [](const http::Request&, const http::CallOptions&) -> Result<http::Response> {
        return http::Response{403, {}, "bad token"};
      });
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::AccessDenied);
  EXPECT_EQ(creds.error().http_status, 403);
}

TEST_F(ContainerTest, NotConfiguredWithoutVariables) {
  auto creds = get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(transport->calls(), 0u);
}

}  // namespace
}  // namespace bedrock::credentials
