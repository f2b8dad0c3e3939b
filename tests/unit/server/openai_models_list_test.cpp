// GET /v1/models: OpenAI's list shape, with each name's provider.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/openai/models_list.h"

namespace bedrock::server::openai {
namespace {

// Aliases list under their own name and their model's provider.
TEST(OpenAiModelsList, ListShapeWithProviders) {
  const auto j = nlohmann::json::parse(models_list_json(
      {"fast", "us.amazon.nova-lite-v1:0"},
      {"anthropic.claude-3-haiku-20240307-v1:0", "us.amazon.nova-lite-v1:0"}, 1700000000));
  EXPECT_EQ(j["object"], "list");
  ASSERT_EQ(j["data"].size(), 2u);
  EXPECT_EQ(j["data"][0], nlohmann::json::parse(R"({"id":"fast","object":"model",
      "created":1700000000,"owned_by":"anthropic"})"));
  EXPECT_EQ(j["data"][1]["owned_by"], "amazon");
}

// Providers come from plain ids, geography profiles and ARNs; an id without one is "bedrock".
TEST(OpenAiModelsList, Providers) {
  EXPECT_EQ(model_provider("meta.llama3-8b-instruct-v1:0"), "meta");
  EXPECT_EQ(model_provider("global.anthropic.claude-sonnet-4-20250514-v1:0"), "anthropic");
  EXPECT_EQ(model_provider("arn:aws:bedrock:us-east-1::foundation-model/mistral.mistral-large"),
            "mistral");
  EXPECT_EQ(model_provider("custom"), "");
  const auto j = nlohmann::json::parse(models_list_json({"custom"}, {"custom"}, 1));
  EXPECT_EQ(j["data"][0]["owned_by"], "bedrock");
  EXPECT_EQ(nlohmann::json::parse(models_list_json({}, {}, 1))["data"], nlohmann::json::array());
}

}  // namespace
}  // namespace bedrock::server::openai
