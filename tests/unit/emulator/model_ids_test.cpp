#include "emulator/model_ids.h"

#include <gtest/gtest.h>

#include "emulator/fixtures.h"

namespace bedrock::emulator {
namespace {

std::optional<std::string> refusal(std::string_view id, const Fixtures& fixtures = Fixtures()) {
  auto resolved = models::ModelRegistry::builtin().resolve(id);
  EXPECT_TRUE(resolved) << id;
  if (!resolved) return "unresolved";
  return model_id_refusal(*resolved, fixtures);
}

constexpr std::string_view kOnDemand =
    "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput "
    "isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that "
    "contains this model.";

// Known on-demand ids are served plain, through a profile and as a foundation-model ARN.
TEST(ModelIds, ServesKnownOnDemandIds) {
  EXPECT_EQ(refusal("anthropic.claude-3-haiku-20240307-v1:0"), std::nullopt);
  EXPECT_EQ(refusal("us.anthropic.claude-3-haiku-20240307-v1:0"), std::nullopt);
  EXPECT_EQ(refusal("arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0"),
            std::nullopt);
  EXPECT_EQ(refusal("amazon.nova-lite-v1:0"), std::nullopt);
}

// A provider prefix alone no longer makes an id a model: Bedrock's own message is answered.
TEST(ModelIds, RefusesIdsBedrockDoesNotKnow) {
  EXPECT_EQ(refusal("anthropic.claude-opus-9-20300101-v1:0"),
            "The provided model identifier is invalid.");
  EXPECT_EQ(refusal("us.anthropic.claude-opus-9-20300101-v1:0"),
            "The provided model identifier is invalid.");
  EXPECT_EQ(refusal("meta.llama3-9-1b-instruct-v1:0"), "The provided model identifier is invalid.");
}

// Profile-only models refuse their plain id with the on-demand message and answer via profiles.
TEST(ModelIds, ProfileOnlyModelsNeedAProfile) {
  EXPECT_EQ(refusal("anthropic.claude-3-7-sonnet-20250219-v1:0"), std::string(kOnDemand));
  EXPECT_EQ(refusal("arn:aws:bedrock:us-east-1::foundation-model/"
                    "anthropic.claude-3-7-sonnet-20250219-v1:0"),
            std::string(kOnDemand));
  for (const char* id :
       {"deepseek.r1-v1:0", "amazon.nova-premier-v1:0", "meta.llama3-3-70b-instruct-v1:0",
        "meta.llama3-2-1b-instruct-v1:0", "anthropic.claude-sonnet-4-20250514-v1:0"}) {
    auto r = refusal(id);
    ASSERT_TRUE(r.has_value()) << id;
    EXPECT_NE(r->find(std::string("Invocation of model ID ") + id + " with on-demand"),
              std::string::npos)
        << *r;
  }
  for (const char* id :
       {"us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        "eu.anthropic.claude-sonnet-4-20250514-v1:0", "us.deepseek.r1-v1:0",
        "apac.amazon.nova-premier-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0"}) {
    EXPECT_EQ(refusal(id), std::nullopt) << id;
  }
  EXPECT_TRUE(models::needs_inference_profile("meta.llama3-2-90b-instruct-v1:0"));
  EXPECT_FALSE(models::needs_inference_profile("meta.llama3-1-8b-instruct-v1:0"));
}

// --model and a fixture's "models" (or a rule's exact model) add ids the table lacks.
TEST(ModelIds, AddedModelsAreServed) {
  auto f = Fixtures::parse(
      R"({"fixtures": [{"model": "mistral.pixtral-large-2502-v1:0", "response": "x"},
                       {"model": "cohere.*", "response": "y"}],
          "models": ["anthropic.claude-opus-9-20300101-v1:0"]})");
  ASSERT_TRUE(f) << f.error().message;
  f->add_model("anthropic.claude-3-7-sonnet-20250219-v1:0");
  EXPECT_EQ(refusal("anthropic.claude-opus-9-20300101-v1:0", *f), std::nullopt);
  EXPECT_EQ(refusal("us.anthropic.claude-opus-9-20300101-v1:0", *f), std::nullopt);
  EXPECT_EQ(refusal("mistral.pixtral-large-2502-v1:0", *f), std::nullopt);
  EXPECT_EQ(refusal("anthropic.claude-3-7-sonnet-20250219-v1:0", *f), std::nullopt);
  EXPECT_EQ(refusal("cohere.command-nightly-v15", *f), "The provided model identifier is invalid.");
  EXPECT_FALSE(Fixtures::parse(R"({"fixtures": [], "models": "x"})"));
  EXPECT_FALSE(Fixtures::parse(R"({"fixtures": [], "models": [""]})"));
}

}  // namespace
}  // namespace bedrock::emulator
