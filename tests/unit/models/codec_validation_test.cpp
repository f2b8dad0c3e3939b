// The parameter rule of codec.h: unsupported or out-of-range parameters and inexpressible
// prompts are Validation errors naming the parameter, for every family.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "bedrock/models/codec.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using F = ModelFamily;

struct FamilyModel {
  F family;
  const char* model_id;
};

const std::vector<FamilyModel>& all_families() {
  static const std::vector<FamilyModel> kAll = {
      {F::AnthropicMessages, "anthropic.claude-3-haiku-20240307-v1:0"},
      {F::AnthropicText, "anthropic.claude-v2:1"},
      {F::TitanText, "amazon.titan-text-express-v1"},
      {F::Nova, "amazon.nova-lite-v1:0"},
      {F::Llama2, "meta.llama2-13b-chat-v1"},
      {F::Llama3, "meta.llama3-8b-instruct-v1:0"},
      {F::MistralText, "mistral.mistral-7b-instruct-v0:2"},
      {F::MistralChat, "mistral.mistral-large-2407-v1:0"},
      {F::CohereCommand, "cohere.command-text-v14"},
      {F::CohereCommandR, "cohere.command-r-v1:0"},
      {F::Ai21Jurassic, "ai21.j2-mid-v1"},
      {F::Ai21Jamba, "ai21.jamba-1-5-mini-v1:0"},
      {F::DeepSeek, "deepseek.r1-v1:0"},
      {F::OpenAiGptOss, "openai.gpt-oss-20b-1:0"},
  };
  return kAll;
}

// Encodes and expects Validation whose message names `parameter` and the family.
void expect_rejected(const FamilyModel& fm, const Prompt& prompt, const InferenceParams& params,
                     const std::string& parameter, const std::string& also = {}) {
  auto body = codec_for(fm.family).encode(prompt, params, testing::model(fm.model_id));
  ASSERT_FALSE(body.has_value()) << to_string(fm.family) << " accepted: " << *body;
  EXPECT_EQ(body.error().code, ErrorCode::Validation);
  const std::string& msg = body.error().message;
  EXPECT_NE(msg.find(parameter), std::string::npos) << msg;
  EXPECT_NE(msg.find(std::string(to_string(fm.family))), std::string::npos) << msg;
  if (!also.empty()) {
    EXPECT_NE(msg.find(also), std::string::npos) << msg;
  }
}

void expect_accepted(const FamilyModel& fm, const Prompt& prompt, const InferenceParams& params) {
  auto body = codec_for(fm.family).encode(prompt, params, testing::model(fm.model_id));
  EXPECT_TRUE(body.has_value()) << to_string(fm.family) << ": " << body.error().message;
}

class CodecValidation : public ::testing::TestWithParam<FamilyModel> {};

// max_tokens must be 1..model.max_output_tokens; the limit itself is accepted.
TEST_P(CodecValidation, MaxTokensRange) {
  const auto& fm = GetParam();
  const int limit = testing::model(fm.model_id).max_output_tokens;
  ASSERT_GT(limit, 0);
  InferenceParams params;
  params.max_tokens = 0;
  expect_rejected(fm, testing::system_user_prompt(), params, "max_tokens", "minimum of 1");
  params.max_tokens = -5;
  expect_rejected(fm, testing::system_user_prompt(), params, "max_tokens");
  params.max_tokens = limit + 1;
  expect_rejected(fm, testing::system_user_prompt(), params, "max_tokens",
                  "output limit of " + std::to_string(limit));
  params.max_tokens = limit;
  expect_accepted(fm, testing::system_user_prompt(), params);
}

// temperature and top_p outside the family's range (or NaN) are rejected.
TEST_P(CodecValidation, SamplingRanges) {
  const auto& fm = GetParam();
  for (double t : {-0.1, 5.01, std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity()}) {
    InferenceParams params;
    params.temperature = t;
    expect_rejected(fm, testing::system_user_prompt(), params, "temperature");
  }
  for (double top_p : {-0.5, 1.5}) {
    InferenceParams params;
    params.top_p = top_p;
    expect_rejected(fm, testing::system_user_prompt(), params, "top_p");
  }
  InferenceParams ok;
  ok.temperature = 0.0;
  ok.top_p = 0.5;
  expect_accepted(fm, testing::system_user_prompt(), ok);
}

// Prompts no family can express: no messages, assistant first, two user turns in a row,
// an empty turn, invalid UTF-8.
TEST_P(CodecValidation, InexpressiblePrompts) {
  const auto& fm = GetParam();
  const InferenceParams params;
  expect_rejected(fm, Prompt{}, params, "messages", "no messages");

  Prompt assistant_first;
  assistant_first.messages = {{Role::Assistant, "Hi"}, {Role::User, "Hello"}};
  expect_rejected(fm, assistant_first, params, "messages", "start with a user message");

  Prompt two_users;
  two_users.messages = {{Role::User, "a"}, {Role::User, "b"}};
  expect_rejected(fm, two_users, params, "messages", "alternate");

  expect_rejected(fm, Prompt::from_user(""), params, "messages", "empty");
  expect_rejected(fm, Prompt::from_user("bad \xC3\x28 byte"), params, "messages", "UTF-8");
  expect_rejected(fm, Prompt::from_user("ok", "sys \xFF"), params, "system", "UTF-8");
}

// A final assistant turn (prefill) only for families that can continue one.
TEST_P(CodecValidation, AssistantPrefill) {
  const auto& fm = GetParam();
  Prompt prefill = Prompt::from_user("List colors as JSON.");
  prefill.messages.push_back({Role::Assistant, "{"});
  if (fm.family == F::AnthropicMessages || fm.family == F::Nova) {
    expect_accepted(fm, prefill, {});
  } else {
    expect_rejected(fm, prefill, {}, "messages", "prefill");
  }
}

// top_k is sent only by families that have it, within their range.
TEST_P(CodecValidation, TopKSupport) {
  const auto& fm = GetParam();
  InferenceParams params;
  params.top_k = 50;
  const bool supported = fm.family == F::AnthropicMessages || fm.family == F::AnthropicText ||
                         fm.family == F::Nova || fm.family == F::MistralText ||
                         fm.family == F::CohereCommand || fm.family == F::CohereCommandR;
  if (supported) {
    expect_accepted(fm, testing::system_user_prompt(), params);
    params.top_k = -1;
    expect_rejected(fm, testing::system_user_prompt(), params, "top_k", "out of range");
  } else {
    expect_rejected(fm, testing::system_user_prompt(), params, "top_k", "does not support");
  }
}

// Stop sequences: unsupported by Llama and Mistral chat; never empty.
TEST_P(CodecValidation, StopSequenceSupport) {
  const auto& fm = GetParam();
  InferenceParams params;
  params.stop_sequences = {"|"};  // the one form every supporting family (Titan too) accepts
  if (fm.family == F::Llama2 || fm.family == F::Llama3 || fm.family == F::MistralChat) {
    expect_rejected(fm, testing::system_user_prompt(), params, "stop_sequences",
                    "does not support");
  } else {
    expect_accepted(fm, testing::system_user_prompt(), params);
    params.stop_sequences = {"|", ""};
    expect_rejected(fm, testing::system_user_prompt(), params, "stop_sequences", "empty");
  }
}

INSTANTIATE_TEST_SUITE_P(Families, CodecValidation, ::testing::ValuesIn(all_families()),
                         [](const ::testing::TestParamInfo<FamilyModel>& param_info) {
                           std::string name(to_string(param_info.param.family));
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

FamilyModel of(F family) {
  for (const auto& fm : all_families()) {
    if (fm.family == family) return fm;
  }
  return {};
}

// Family-specific ranges from the codec.h table.
TEST(CodecValidationRanges, PerFamilyLimits) {
  InferenceParams hot;
  hot.temperature = 1.5;
  // Jamba and gpt-oss go to 2, Cohere Command to 5; the others stop at 1.
  expect_accepted(of(F::Ai21Jamba), testing::system_user_prompt(), hot);
  expect_accepted(of(F::OpenAiGptOss), testing::system_user_prompt(), hot);
  expect_accepted(of(F::CohereCommand), testing::system_user_prompt(), hot);
  expect_rejected(of(F::AnthropicMessages), testing::system_user_prompt(), hot, "temperature",
                  "between 0 and 1");
  expect_rejected(of(F::CohereCommandR), testing::system_user_prompt(), hot, "temperature");

  InferenceParams top_p_one;
  top_p_one.top_p = 1.0;  // Command R's p is 0.01..0.99
  expect_rejected(of(F::CohereCommandR), testing::system_user_prompt(), top_p_one, "top_p");
  expect_accepted(of(F::CohereCommand), testing::system_user_prompt(), top_p_one);

  InferenceParams big_k;
  big_k.top_k = 201;  // Mistral 1..200, Anthropic/Cohere 0..500
  expect_rejected(of(F::MistralText), testing::system_user_prompt(), big_k, "top_k");
  expect_accepted(of(F::AnthropicMessages), testing::system_user_prompt(), big_k);
  big_k.top_k = 501;
  expect_rejected(of(F::AnthropicMessages), testing::system_user_prompt(), big_k, "top_k");
  expect_rejected(of(F::CohereCommand), testing::system_user_prompt(), big_k, "top_k");
  big_k.top_k = 0;
  expect_rejected(of(F::MistralText), testing::system_user_prompt(), big_k, "top_k");

  InferenceParams five_stops;
  five_stops.stop_sequences = {"a", "b", "c", "d", "e"};
  expect_rejected(of(F::CohereCommand), testing::system_user_prompt(), five_stops, "stop_sequences",
                  "at most 4");
  expect_rejected(of(F::OpenAiGptOss), testing::system_user_prompt(), five_stops, "stop_sequences",
                  "at most 4");
  expect_accepted(of(F::AnthropicMessages), testing::system_user_prompt(), five_stops);
}

// Titan accepts only "|"-runs and "User:" as stop sequences.
TEST(CodecValidationRanges, TitanStopSequenceForms) {
  InferenceParams params;
  params.stop_sequences = {"||", "User:"};
  expect_accepted(of(F::TitanText), testing::system_user_prompt(), params);
  params.stop_sequences = {"END"};
  expect_rejected(of(F::TitanText), testing::system_user_prompt(), params, "stop_sequences",
                  "\"END\"");
}

// Anthropic bodies require max_tokens: unset -> kDefaultMaxTokens capped at the model limit.
TEST(CodecDefaults, AnthropicMaxTokensDefault) {
  const auto prompt = testing::system_user_prompt();
  auto sonnet = codec_for(F::AnthropicMessages)
                    .encode(prompt, {}, testing::model("anthropic.claude-sonnet-4-20250514-v1:0"));
  ASSERT_TRUE(sonnet.has_value());
  EXPECT_EQ(nlohmann::json::parse(*sonnet).at("max_tokens"), kDefaultMaxTokens);

  ModelInfo small = testing::model("anthropic.claude-3-haiku-20240307-v1:0");
  small.max_output_tokens = 1000;
  auto capped = codec_for(F::AnthropicMessages).encode(prompt, {}, small);
  ASSERT_TRUE(capped.has_value());
  EXPECT_EQ(nlohmann::json::parse(*capped).at("max_tokens"), 1000);

  auto legacy = codec_for(F::AnthropicText).encode(prompt, {}, small);
  ASSERT_TRUE(legacy.has_value());
  EXPECT_EQ(nlohmann::json::parse(*legacy).at("max_tokens_to_sample"), 1000);
}

// Unset parameters are not sent, so the model's own defaults apply.
TEST(CodecDefaults, UnsetParametersAreOmitted) {
  const auto prompt = Prompt::from_user("Hi");
  auto titan =
      codec_for(F::TitanText).encode(prompt, {}, testing::model("amazon.titan-text-lite-v1"));
  ASSERT_TRUE(titan.has_value());
  EXPECT_EQ(nlohmann::json::parse(*titan),
            nlohmann::json::parse(R"({"inputText":"User: Hi\nBot:"})"));
  auto nova = codec_for(F::Nova).encode(prompt, {}, testing::model("amazon.nova-micro-v1:0"));
  ASSERT_TRUE(nova.has_value());
  EXPECT_EQ(
      nlohmann::json::parse(*nova),
      nlohmann::json::parse(
          R"({"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"Hi"}]}]})"));
  auto llama =
      codec_for(F::Llama3).encode(prompt, {}, testing::model("meta.llama3-8b-instruct-v1:0"));
  ASSERT_TRUE(llama.has_value());
  EXPECT_EQ(nlohmann::json::parse(*llama).size(), 1u);  // prompt only
}

}  // namespace
}  // namespace bedrock::models
