#include "bedrock/models/types.h"

#include <gtest/gtest.h>

namespace bedrock::models {
namespace {

// Every family round-trips through its name, and the lookup forgives case and separators.
TEST(ModelFamilyNames, RoundTrip) {
  const ModelFamily all[] = {ModelFamily::AnthropicMessages,
                             ModelFamily::AnthropicText,
                             ModelFamily::TitanText,
                             ModelFamily::Nova,
                             ModelFamily::Llama2,
                             ModelFamily::Llama3,
                             ModelFamily::MistralText,
                             ModelFamily::MistralChat,
                             ModelFamily::CohereCommand,
                             ModelFamily::CohereCommandR,
                             ModelFamily::Ai21Jurassic,
                             ModelFamily::Ai21Jamba,
                             ModelFamily::DeepSeek,
                             ModelFamily::OpenAiGptOss};
  for (ModelFamily f : all) {
    const auto name = to_string(f);
    EXPECT_NE(name, "unknown");
    EXPECT_EQ(family_from_string(name), f) << name;
  }
  EXPECT_EQ(to_string(ModelFamily::CohereCommandR), "cohere-command-r");
  EXPECT_EQ(family_from_string("Anthropic-Messages"), ModelFamily::AnthropicMessages);
  EXPECT_EQ(family_from_string("mistral_chat"), ModelFamily::MistralChat);
  EXPECT_EQ(family_from_string("OpenAiGptOss"), ModelFamily::OpenAiGptOss);
  EXPECT_EQ(family_from_string("cohere-command"), ModelFamily::CohereCommand);
  EXPECT_EQ(family_from_string("gpt-4"), std::nullopt);
  EXPECT_EQ(family_from_string(""), std::nullopt);
  EXPECT_EQ(family_from_string("--"), std::nullopt);
}

// Stop reasons print in Converse's spelling.
TEST(StopReasonNames, Spelling) {
  EXPECT_EQ(to_string(StopReason::EndTurn), "end_turn");
  EXPECT_EQ(to_string(StopReason::MaxTokens), "max_tokens");
  EXPECT_EQ(to_string(StopReason::StopSequence), "stop_sequence");
  EXPECT_EQ(to_string(StopReason::ContentFiltered), "content_filtered");
  EXPECT_EQ(to_string(StopReason::ToolUse), "tool_use");
  EXPECT_EQ(to_string(StopReason::Unknown), "unknown");
}

}  // namespace
}  // namespace bedrock::models
