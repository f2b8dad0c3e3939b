#include "bedrock/models/registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bedrock::models {
namespace {

const ModelRegistry& reg() { return ModelRegistry::builtin(); }

struct IdCase {
  std::string requested;
  std::string base_id;
  std::string geo;
  std::string arn_resource;
  ModelFamily family;
};

class RegistryResolve : public ::testing::TestWithParam<IdCase> {};

// Plain ids, every geo prefix and the model-id ARN forms resolve to the table row.
TEST_P(RegistryResolve, FindsTableRow) {
  const IdCase& c = GetParam();
  auto r = reg().resolve(c.requested);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->requested_id, c.requested);
  EXPECT_EQ(r->base_id, c.base_id);
  EXPECT_EQ(r->geo_prefix, c.geo);
  EXPECT_EQ(r->arn_resource, c.arn_resource);
  EXPECT_EQ(r->info.id, c.base_id);
  EXPECT_EQ(r->info.family, c.family);
  EXPECT_TRUE(r->info.known);
  EXPECT_GT(r->info.max_output_tokens, 0);
  EXPECT_GT(r->info.input_price_per_1k, 0.0);
}

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

INSTANTIATE_TEST_SUITE_P(
    Ids, RegistryResolve,
    ::testing::Values(
        IdCase{kHaiku, kHaiku, "", "", ModelFamily::AnthropicMessages},
        IdCase{"amazon.titan-text-express-v1", "amazon.titan-text-express-v1", "", "",
               ModelFamily::TitanText},
        IdCase{"meta.llama2-13b-chat-v1", "meta.llama2-13b-chat-v1", "", "", ModelFamily::Llama2},
        IdCase{"mistral.mistral-large-2407-v1:0", "mistral.mistral-large-2407-v1:0", "", "",
               ModelFamily::MistralChat},
        IdCase{"mistral.mixtral-8x7b-instruct-v0:1", "mistral.mixtral-8x7b-instruct-v0:1", "", "",
               ModelFamily::MistralText},
        IdCase{"cohere.command-r-plus-v1:0", "cohere.command-r-plus-v1:0", "", "",
               ModelFamily::CohereCommandR},
        IdCase{"anthropic.claude-v2:1", "anthropic.claude-v2:1", "", "",
               ModelFamily::AnthropicText},
        IdCase{std::string("us.") + kHaiku, kHaiku, "us", "", ModelFamily::AnthropicMessages},
        IdCase{std::string("eu.") + kHaiku, kHaiku, "eu", "", ModelFamily::AnthropicMessages},
        IdCase{std::string("apac.") + kHaiku, kHaiku, "apac", "", ModelFamily::AnthropicMessages},
        IdCase{"global.anthropic.claude-sonnet-4-20250514-v1:0",
               "anthropic.claude-sonnet-4-20250514-v1:0", "global", "",
               ModelFamily::AnthropicMessages},
        IdCase{std::string("us-gov.") + kHaiku, kHaiku, "us-gov", "",
               ModelFamily::AnthropicMessages},
        IdCase{std::string("ca.") + kHaiku, kHaiku, "ca", "", ModelFamily::AnthropicMessages},
        IdCase{std::string("jp.") + kHaiku, kHaiku, "jp", "", ModelFamily::AnthropicMessages},
        IdCase{std::string("au.") + kHaiku, kHaiku, "au", "", ModelFamily::AnthropicMessages},
        IdCase{"us.deepseek.r1-v1:0", "deepseek.r1-v1:0", "us", "", ModelFamily::DeepSeek},
        IdCase{"us.amazon.nova-premier-v1:0", "amazon.nova-premier-v1:0", "us", "",
               ModelFamily::Nova},
        IdCase{std::string("arn:aws:bedrock:us-east-1::foundation-model/") + kHaiku, kHaiku, "",
               "foundation-model", ModelFamily::AnthropicMessages},
        IdCase{std::string("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.") + kHaiku,
               kHaiku, "us", "inference-profile", ModelFamily::AnthropicMessages},
        IdCase{"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/"
               "us-gov.meta.llama3-8b-instruct-v1:0",
               "meta.llama3-8b-instruct-v1:0", "us-gov", "inference-profile",
               ModelFamily::Llama3}));

// Every table row resolves to itself and has sane limits and prices.
TEST(Registry, EveryBuiltinRowIsConsistent) {
  std::set<std::string> ids;
  for (const auto& m : reg().all()) {
    EXPECT_TRUE(ids.insert(m.id).second) << "duplicate " << m.id;
    auto r = reg().resolve(m.id);
    ASSERT_TRUE(r.has_value()) << m.id;
    EXPECT_EQ(r->info.family, m.family) << m.id;
    EXPECT_FALSE(m.display_name.empty()) << m.id;
    EXPECT_GT(m.context_window, 0) << m.id;
    EXPECT_GT(m.max_output_tokens, 0) << m.id;
    EXPECT_LE(m.max_output_tokens, m.context_window) << m.id;
    EXPECT_GT(m.input_price_per_1k, 0.0) << m.id;
    EXPECT_GT(m.output_price_per_1k, 0.0) << m.id;
  }
  EXPECT_EQ(ids.size(), 49u);
}

// Reference §10 numbers survive the per-1M -> per-1K conversion.
TEST(Registry, TableValuesMatchReference) {
  const ModelInfo* haiku = reg().find(kHaiku);
  ASSERT_NE(haiku, nullptr);
  EXPECT_EQ(haiku->display_name, "Claude 3 Haiku");
  EXPECT_EQ(haiku->context_window, 200000);
  EXPECT_EQ(haiku->max_output_tokens, 4096);
  EXPECT_DOUBLE_EQ(haiku->input_price_per_1k, 0.00025);
  EXPECT_DOUBLE_EQ(haiku->output_price_per_1k, 0.00125);

  const ModelInfo* nova_lite = reg().find("amazon.nova-lite-v1:0");
  ASSERT_NE(nova_lite, nullptr);
  EXPECT_EQ(nova_lite->context_window, 300000);
  EXPECT_EQ(nova_lite->max_output_tokens, 5000);
  EXPECT_DOUBLE_EQ(nova_lite->input_price_per_1k, 0.00006);

  const ModelInfo* llama405 = reg().find("meta.llama3-1-405b-instruct-v1:0");
  ASSERT_NE(llama405, nullptr);
  EXPECT_EQ(llama405->max_output_tokens, 4096);
  EXPECT_DOUBLE_EQ(llama405->output_price_per_1k, 0.016);
}

// Price math: tokens / 1000 * price per 1K, inputs and outputs priced separately.
TEST(Registry, EstimateCost) {
  const ModelInfo* haiku = reg().find(kHaiku);
  ASSERT_NE(haiku, nullptr);
  // 1M in at $0.25 + 1M out at $1.25.
  EXPECT_NEAR(estimate_cost(*haiku, 1000000, 1000000), 1.50, 1e-12);
  EXPECT_NEAR(estimate_cost(*haiku, 2000, 500), 2 * 0.00025 + 0.5 * 0.00125, 1e-15);
  EXPECT_DOUBLE_EQ(estimate_cost(*haiku, 0, 0), 0.0);
  EXPECT_DOUBLE_EQ(estimate_cost(*haiku, -5, -5), 0.0);
  const ModelInfo* sonnet4 = reg().find("anthropic.claude-sonnet-4-20250514-v1:0");
  ASSERT_NE(sonnet4, nullptr);
  EXPECT_NEAR(estimate_cost(*sonnet4, 10000, 2000), 0.03 + 0.03, 1e-12);
}

struct ProviderCase {
  std::string id;
  ModelFamily family;
  int context;
  int max_output;
};

class RegistryUnknownId : public ::testing::TestWithParam<ProviderCase> {};

// An unknown id of a known provider gets that provider's family and conservative limits.
TEST_P(RegistryUnknownId, FallsBackToProvider) {
  const auto& c = GetParam();
  auto r = reg().resolve(c.id);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->info.family, c.family);
  EXPECT_FALSE(r->info.known);
  EXPECT_EQ(r->info.context_window, c.context);
  EXPECT_EQ(r->info.max_output_tokens, c.max_output);
  EXPECT_DOUBLE_EQ(r->info.input_price_per_1k, 0.0);
  EXPECT_DOUBLE_EQ(estimate_cost(r->info, 1000, 1000), 0.0);
}

INSTANTIATE_TEST_SUITE_P(
    Providers, RegistryUnknownId,
    ::testing::Values(
        ProviderCase{"anthropic.claude-opus-9-20300101-v1:0", ModelFamily::AnthropicMessages,
                     200000, 4096},
        ProviderCase{"us.anthropic.claude-opus-9-20300101-v1:0", ModelFamily::AnthropicMessages,
                     200000, 4096},
        ProviderCase{"amazon.titan-text-ultra-v9", ModelFamily::TitanText, 4096, 3072},
        ProviderCase{"amazon.nova-2-lite-v1:0", ModelFamily::Nova, 128000, 5000},
        ProviderCase{"meta.llama2-7b-chat-v1", ModelFamily::Llama2, 4096, 2048},
        ProviderCase{"meta.llama3-9-1b-instruct-v1:0", ModelFamily::Llama3, 8192, 2048},
        ProviderCase{"mistral.pixtral-large-2502-v1:0", ModelFamily::MistralChat, 32000, 4096},
        ProviderCase{"cohere.command-r-08-2024-v1:0", ModelFamily::CohereCommandR, 128000, 4096},
        ProviderCase{"cohere.command-nightly-v15", ModelFamily::CohereCommand, 4096, 4096},
        ProviderCase{"ai21.j2-light-v1", ModelFamily::Ai21Jurassic, 8191, 8191},
        ProviderCase{"ai21.jamba-2-v1:0", ModelFamily::Ai21Jamba, 70000, 4096},
        ProviderCase{"deepseek.v3-v1:0", ModelFamily::DeepSeek, 128000, 8192},
        ProviderCase{"openai.gpt-oss-999b-1:0", ModelFamily::OpenAiGptOss, 128000, 16384}));

// Ids of no known provider (or of a known provider's non-text models) are ResourceNotFound.
TEST(Registry, UnknownProviderIsResourceNotFound) {
  for (const char* id : {"acme.super-model-v1", "us.acme.super-model-v1",
                         "amazon.titan-embed-text-v2:0", "stability.sd3-large-v1:0", "gpt-4o"}) {
    auto r = reg().resolve(id);
    ASSERT_FALSE(r.has_value()) << id;
    EXPECT_EQ(r.error().code, ErrorCode::ResourceNotFound) << id;
    EXPECT_NE(r.error().message.find(id), std::string::npos) << r.error().message;
  }
}

// An explicit family makes an otherwise unknown id usable and overrides the table's family.
TEST(Registry, ExplicitFamily) {
  auto unknown = reg().resolve("acme.super-model-v1", ModelFamily::Llama3);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->info.family, ModelFamily::Llama3);
  EXPECT_FALSE(unknown->info.known);

  // Claude 2.1 also speaks the Messages API; limits and price stay the table's.
  auto v21 = reg().resolve("anthropic.claude-v2:1", ModelFamily::AnthropicMessages);
  ASSERT_TRUE(v21.has_value());
  EXPECT_EQ(v21->info.family, ModelFamily::AnthropicMessages);
  EXPECT_TRUE(v21->info.known);
  EXPECT_EQ(v21->info.context_window, 200000);
  EXPECT_DOUBLE_EQ(v21->info.input_price_per_1k, 0.008);
}

// ARNs with opaque tails need the family; with it they resolve, without it the error says so.
TEST(Registry, OpaqueArnsNeedFamily) {
  for (const char* arn :
       {"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
        "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefghijkl",
        "arn:aws:bedrock:us-east-1:123456789012:imported-model/xyz123"}) {
    auto without = reg().resolve(arn);
    ASSERT_FALSE(without.has_value()) << arn;
    EXPECT_EQ(without.error().code, ErrorCode::Validation);
    EXPECT_NE(without.error().message.find("pass the family"), std::string::npos)
        << without.error().message;

    auto with = reg().resolve(arn, ModelFamily::Nova);
    ASSERT_TRUE(with.has_value()) << arn;
    EXPECT_EQ(with->requested_id, arn);
    EXPECT_EQ(with->info.family, ModelFamily::Nova);
    EXPECT_FALSE(with->info.known);
    EXPECT_EQ(with->info.max_output_tokens, 5000);
  }
  auto with = reg().resolve(
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
      ModelFamily::Llama3);
  ASSERT_TRUE(with.has_value());
  EXPECT_EQ(with->base_id, "a1b2c3d4e5f6");
  EXPECT_EQ(with->arn_resource, "application-inference-profile");
}

// A custom-model ARN embeds its base model id, which names the request format.
TEST(Registry, CustomModelArnUsesBaseProvider) {
  auto r = reg().resolve(
      "arn:aws:bedrock:us-east-1:123456789012:custom-model/"
      "amazon.titan-text-express-v1:0:8k/abcdef123456");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->arn_resource, "custom-model");
  EXPECT_EQ(r->base_id, "amazon.titan-text-express-v1:0:8k");
  EXPECT_EQ(r->info.family, ModelFamily::TitanText);
  EXPECT_FALSE(r->info.known);

  auto opaque = reg().resolve("arn:aws:bedrock:us-east-1:123456789012:custom-model/zzz/abc");
  ASSERT_FALSE(opaque.has_value());
  EXPECT_EQ(opaque.error().code, ErrorCode::ResourceNotFound);
}

// Empty, whitespace-carrying, oversized and non-Bedrock ids are Validation errors.
TEST(Registry, MalformedIdsAreValidation) {
  for (const std::string& id :
       {std::string(), std::string("anthropic.claude-v2 "), std::string("anthropic.claude\n-v2"),
        std::string(3000, 'a'), std::string("arn:aws:s3:::bucket/key"),
        std::string("arn:aws:bedrock:us-east-1"),
        std::string("arn:aws:bedrock:us-east-1:123456789012:foundation-model")}) {
    auto r = reg().resolve(id);
    ASSERT_FALSE(r.has_value()) << id;
    EXPECT_EQ(r.error().code, ErrorCode::Validation) << id;
  }
}

// A registry built from a custom table resolves against that table only.
TEST(Registry, CustomTable) {
  ModelRegistry custom(
      {ModelInfo{"acme.model-v1", "Acme", ModelFamily::Llama3, 1000, 100, 0.001, 0.002, true}});
  auto r = custom.resolve("us.acme.model-v1");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->info.display_name, "Acme");
  EXPECT_EQ(r->geo_prefix, "us");
  EXPECT_EQ(custom.find(kHaiku), nullptr);
}

}  // namespace
}  // namespace bedrock::models
