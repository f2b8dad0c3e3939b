#include <gtest/gtest.h>

#include "bedrock/models/registry.h"
#include "bedrock/runtime/bedrock_client.h"
#include "client_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;

// Each scenario runs through the synchronous client and through AsyncBedrockClient.
class ClientProfile : public ::testing::TestWithParam<Driver> {};

constexpr const char* kOnDemandRefusal =
    R"({"message":"Invocation of model ID anthropic.claude-3-haiku-20240307-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."})";

std::string path_of(const http::Request& r) {
  const auto at = r.url.find("/model/");
  return at == std::string::npos ? r.url : r.url.substr(at);
}

// The on-demand refusal is answered by one more call on the region's geography profile.
TEST_P(ClientProfile, OnDemandRefusalRetriedOnGeographyProfile) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(400, kOnDemandRefusal, error_headers("ValidationException"));
  h.transport->push_response(200, anthropic_body("via profile"));
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.text, "via profile");
  auto sent = h.transport->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(path_of(sent[0]), "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  EXPECT_EQ(path_of(sent[1]), "/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  // The profile's request is a new one as far as the SDK retry headers go.
  EXPECT_EQ(header(sent[1], "amz-sdk-request").value_or(""), "attempt=1; max=3");
  EXPECT_EQ(r->record.profile_used, "us.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(r->record.model_used, "us.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(r->record.model_requested, kHaiku);
  ASSERT_EQ(r->record.attempt_log.size(), 2u);
  EXPECT_EQ(r->record.attempt_log[0].model_id, kHaiku);
  EXPECT_EQ(r->record.attempt_log[0].error_code, "Validation");
  EXPECT_EQ(r->record.attempt_log[1].model_id, "us.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(h.elapsed(), std::chrono::milliseconds(0));  // no backoff before the profile
}

// Once a profile answered, the next call for that id goes straight to it.
TEST_P(ClientProfile, MappingRememberedForLaterCalls) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(400, kOnDemandRefusal, error_headers("ValidationException"));
  h.transport->push_response(200, anthropic_body("one"));
  h.transport->push_response(200, anthropic_body("two"));
  ASSERT_TRUE(h.invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  auto r = h.invoke(kHaiku, models::Prompt::from_user("again"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  auto sent = h.transport->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(path_of(sent[2]), "/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  EXPECT_EQ(r->record.attempts, 1);
  EXPECT_EQ(r->record.profile_used, "us.anthropic.claude-3-haiku-20240307-v1:0");
}

// A region whose geography profile does not exist moves on to the global profile.
TEST_P(ClientProfile, UnknownGeographyProfileFallsToGlobal) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(400, kOnDemandRefusal, error_headers("ValidationException"));
  h.transport->push_response(400, R"({"message":"The provided model identifier is invalid."})",
                             error_headers("ValidationException"));
  h.transport->push_response(200, anthropic_body("global"));
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  auto sent = h.transport->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(path_of(sent[2]), "/model/global.anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  EXPECT_EQ(r->record.profile_used, "global.anthropic.claude-3-haiku-20240307-v1:0");
}

// With every profile refused, the caller gets Bedrock's on-demand refusal, naming the last try.
TEST_P(ClientProfile, EveryProfileRefusedReturnsTheRefusal) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(400, kOnDemandRefusal, error_headers("ValidationException"));
  for (int i = 0; i < 2; ++i) {
    h.transport->push_response(404, R"({"message":"Model not found."})",
                               error_headers("ResourceNotFoundException"));
  }
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_NE(r.error().message.find("on-demand throughput"), std::string::npos);
  EXPECT_NE(r.error().message.find("global.anthropic.claude-3-haiku"), std::string::npos);
  EXPECT_EQ(h.transport->calls(), 3u);
}

// The setting turns it off: the refusal is returned after one request.
TEST_P(ClientProfile, DisabledSendsThePlainIdOnly) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam(),
            [](ClientOptions& o) { o.inference_profiles = false; });
  h.transport->push_response(400, kOnDemandRefusal, error_headers("ValidationException"));
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(h.transport->calls(), 1u);
}

// A model the registry knows to be profile-only goes to its profile without the refusal.
TEST_P(ClientProfile, RegistryProfileOnlyModelGoesStraightToProfile) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam(),
            [](ClientOptions& o) { o.region = "eu-west-1"; });
  h.transport->push_response(200, anthropic_body("sonnet 4"));
  auto r = h.invoke("anthropic.claude-sonnet-4-20250514-v1:0", models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  auto sent = h.transport->requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(path_of(sent[0]), "/model/eu.anthropic.claude-sonnet-4-20250514-v1%3A0/invoke");
  EXPECT_EQ(r->record.profile_used, "eu.anthropic.claude-sonnet-4-20250514-v1:0");
}

// An id that already is a profile, and other validation errors, are left alone.
TEST_P(ClientProfile, ProfileIdsAndOtherValidationErrorsUntouched) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(400, kOnDemandRefusal, error_headers("ValidationException"));
  auto r = h.invoke("us.anthropic.claude-3-haiku-20240307-v1:0", models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(h.transport->calls(), 1u);
  h.transport->push_response(400, R"({"message":"max_tokens: must be positive"})",
                             error_headers("ValidationException"));
  auto r2 = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(h.transport->calls(), 2u);
  EXPECT_TRUE(r2.error().message.find("max_tokens") != std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Drivers, ClientProfile, ::testing::Values(Driver::Sync, Driver::Async),
                         driver_name);

// Geography by region prefix, global last.
TEST(InferenceProfilePrefixes, FollowTheRegionsGeography) {
  using V = std::vector<std::string>;
  EXPECT_EQ(models::inference_profile_prefixes("us-west-2"), (V{"us", "global"}));
  EXPECT_EQ(models::inference_profile_prefixes("eu-central-1"), (V{"eu", "global"}));
  EXPECT_EQ(models::inference_profile_prefixes("ap-northeast-1"), (V{"apac", "global"}));
  EXPECT_EQ(models::inference_profile_prefixes("sa-east-1"), (V{"global"}));
  EXPECT_TRUE(models::needs_inference_profile("deepseek.r1-v1:0"));
  EXPECT_FALSE(models::needs_inference_profile("anthropic.claude-3-haiku-20240307-v1:0"));
}

}  // namespace
}  // namespace bedrock::runtime
