// An endpoint URL with credentials in it is refused without echoing the password.
#include <gtest/gtest.h>

#include "bedrock/config/client_config.h"
#include "tests/unit/config/temp_dir.h"

namespace bedrock::config {
namespace {

// --endpoint-url http://user:pass@host and AWS_ENDPOINT_URL_BEDROCK_RUNTIME alike: the error
// names the problem and shows the URL with its user-info masked.
TEST(EndpointSecrets, UserInfoIsRefusedWithoutShowingThePassword) {
  bedrock::testing::TempDir dir;
  MapEnvironment env({{"HOME", dir.path().string()}, {"AWS_REGION", "us-east-1"}});
  ClientOverrides overrides;
  overrides.endpoint_url = "http://admin:Sup3rSecretPw@127.0.0.1:8080";
  auto flagged = resolve_client_config(overrides, env);
  ASSERT_FALSE(flagged);
  EXPECT_EQ(flagged.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_EQ(flagged.error().message.find("Sup3rSecretPw"), std::string::npos)
      << flagged.error().message;
  EXPECT_NE(flagged.error().message.find("http://****@127.0.0.1:8080"), std::string::npos)
      << flagged.error().message;

  env.set("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "https://u:An0therSecret@host:99999");
  auto from_env = resolve_client_config({}, env);
  ASSERT_FALSE(from_env);
  EXPECT_EQ(from_env.error().message.find("An0therSecret"), std::string::npos)
      << from_env.error().message;
}

}  // namespace
}  // namespace bedrock::config
