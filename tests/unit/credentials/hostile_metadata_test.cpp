// Credential endpoints answering with hostile bodies: deep nesting, URL passwords in settings.
#include <gtest/gtest.h>

#include "bedrock/credentials/container_provider.h"
#include "bedrock/credentials/imds_provider.h"
#include "credentials/xml_document.h"
#include "fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::FakeTransport;

std::string nested_metadata_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

struct Endpoint {
  MapEnvironment env;
  FakeClock clock;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  ProviderContext context() {
    ProviderContext c;
    c.env = &env;
    c.clock = &clock;
    c.transport = transport;
    return c;
  }
};

// IMDS's error shape {"Code", "Message"} with 100,000 nested arrays as the Code is refused
// before the error path dumps it (dump() recursed once per level and overflowed the stack).
TEST(HostileMetadata, DeeplyNestedImdsAnswerIsInvalidResponse) {
  Endpoint e;
  e.transport->push_response(200, "imds-session-token-AAAA");
  e.transport->push_response(200, "MyInstanceRole\n");
  e.transport->push_response(
      200, R"({"Code":)" + nested_metadata_arrays(100000) + R"(,"Message":"no credentials"})");
  auto creds = ImdsProvider(e.context(), nullptr).get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(creds.error().message.find("deeper than"), std::string::npos)
      << creds.error().message.substr(0, 200);
}

// The container endpoint's JSON is held to the same limit.
TEST(HostileMetadata, DeeplyNestedContainerAnswerIsInvalidResponse) {
  Endpoint e;
  e.env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  e.transport->push_response(
      200, R"({"AccessKeyId":)" + nested_metadata_arrays(100000) + R"(,"SecretAccessKey":"s"})");
  auto creds = ContainerProvider(e.context()).get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(creds.error().message.find("deeper than"), std::string::npos);
}

// A password in a container or IMDS endpoint URL never appears in an error.
TEST(HostileMetadata, EndpointPasswordsAreRedactedInErrors) {
  Endpoint container;
  container.env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://agent:hunter2pass@10.1.2.3/c");
  auto c = ContainerProvider(container.context()).get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.find("hunter2pass"), std::string::npos) << c.error().message;

  Endpoint local;
  local.env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://agent:hunter2pass@127.0.0.1:9/c");
  local.transport->push_response(500, "agent down");
  auto l = ContainerProvider(local.context()).get();
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().message.find("hunter2pass"), std::string::npos) << l.error().message;
  EXPECT_NE(l.error().message.find("****@127.0.0.1"), std::string::npos) << l.error().message;

  Endpoint imds;
  imds.env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://md:hunter2pass@169.254.169.254");
  imds.transport->push_error(ErrorCode::ConnectionFailed, "refused");
  auto i = ImdsProvider(imds.context(), nullptr).get();
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().message.find("hunter2pass"), std::string::npos) << i.error().message;
}

// The STS XML reader refuses 100,000 nested elements with a typed error (its depth limit).
TEST(HostileMetadata, DeeplyNestedStsXmlIsRefused) {
  std::string xml;
  for (int i = 0; i < 100000; ++i) xml += "<a>";
  for (int i = 0; i < 100000; ++i) xml += "</a>";
  auto parsed = cred_detail::parse_xml(xml);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidResponse);
}

}  // namespace
}  // namespace bedrock::credentials
