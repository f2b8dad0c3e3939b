#include <gtest/gtest.h>

#include "bedrock/content/content_config.h"
#include "bedrock/content/model_limits.h"

namespace bedrock::content {
namespace {

// Every default model and fallback is known to the built-in registry with real limits, so the
// pre-flight check never runs on guessed numbers for the shipped configuration.
TEST(RegistryLimits, DefaultModelsAreKnown) {
  const LimitsLookup lookup = registry_limits();
  const ContentConfig cfg = ContentConfig::defaults();
  for (Task t : kAllTasks) {
    std::vector<std::string> ids = cfg.task(t).fallbacks;
    ids.push_back(cfg.task(t).model);
    for (const auto& id : ids) {
      auto limits = lookup(id);
      ASSERT_TRUE(limits) << id << ": " << limits.error().message;
      EXPECT_GT(limits->context_window, 4000) << id;
      EXPECT_GT(limits->max_output_tokens, 0) << id;
      EXPECT_LE(cfg.task(t).max_tokens, limits->max_output_tokens)
          << to_string(t) << " max_tokens exceeds " << id << "'s output limit";
    }
  }
  auto haiku = lookup("us.anthropic.claude-3-haiku-20240307-v1:0");
  ASSERT_TRUE(haiku);
  EXPECT_EQ(haiku->family, models::ModelFamily::AnthropicMessages);
  EXPECT_EQ(haiku->context_window, 200000);
  EXPECT_EQ(haiku->model_id, "us.anthropic.claude-3-haiku-20240307-v1:0");
}

}  // namespace
}  // namespace bedrock::content
