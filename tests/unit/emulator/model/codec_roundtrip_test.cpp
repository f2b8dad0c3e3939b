// Client codecs against the emulator's server side (emulator/model): every body a codec
// encodes must pass the emulator's Bedrock-style validation with the same conversation and
// parameters, and every response the emulator renders must decode to the emulator's answer.
// Two independent readings of docs/wire-protocol.md §7/§8 checking each other.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "tests/unit/models/codec_test_support.h"

namespace bedrock::models {
namespace {

using F = ModelFamily;

struct RoundTripCase {
  F family;
  const char* model_id;
  bool system_is_separate;  // false: the family folds the system prompt into the prompt text
};

std::vector<RoundTripCase> cases() {
  return {
      {F::AnthropicMessages, "anthropic.claude-3-haiku-20240307-v1:0", true},
      {F::AnthropicText, "anthropic.claude-v2:1", false},
      {F::TitanText, "amazon.titan-text-express-v1", false},
      {F::Nova, "amazon.nova-lite-v1:0", true},
      {F::Llama2, "meta.llama2-13b-chat-v1", true},
      {F::Llama3, "meta.llama3-8b-instruct-v1:0", true},
      {F::MistralText, "mistral.mistral-7b-instruct-v0:2", false},
      {F::MistralChat, "mistral.mistral-large-2407-v1:0", true},
      {F::CohereCommand, "cohere.command-text-v14", false},
      {F::CohereCommandR, "cohere.command-r-v1:0", true},
      {F::Ai21Jurassic, "ai21.j2-mid-v1", false},
      {F::Ai21Jamba, "ai21.jamba-1-5-mini-v1:0", true},
      {F::DeepSeek, "deepseek.r1-v1:0", true},
      {F::OpenAiGptOss, "openai.gpt-oss-20b-1:0", true},
  };
}

InferenceParams sample_params(F family) {
  InferenceParams params;
  params.max_tokens = 200;
  params.temperature = 0.5;
  params.top_p = 0.9;
  if (family != F::Llama2 && family != F::Llama3 && family != F::MistralChat) {
    params.stop_sequences = {"|"};
  }
  return params;
}

class CodecEmulatorRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

// encode -> emulator parse: same conversation, same parameters.
TEST_P(CodecEmulatorRoundTrip, EmulatorAcceptsEncodedBody) {
  const auto& c = GetParam();
  const ModelInfo model = testing::model(c.model_id);
  const auto params = sample_params(c.family);
  auto body = codec_for(c.family).encode(testing::multi_turn_prompt(), params, model);
  ASSERT_TRUE(body.has_value()) << body.error().message;

  auto parsed = emulator::model::parse_native_request(model, *body);
  ASSERT_TRUE(parsed.has_value()) << to_string(c.family) << ": " << parsed.error().message
                                  << "\nbody: " << *body;
  EXPECT_EQ(parsed->max_tokens, 200);
  EXPECT_TRUE(parsed->max_tokens_given);
  EXPECT_EQ(parsed->temperature, 0.5);
  EXPECT_EQ(parsed->top_p, 0.9);
  EXPECT_EQ(parsed->stop_sequences, params.stop_sequences);
  ASSERT_FALSE(parsed->turns.empty());
  EXPECT_EQ(parsed->turns.back().role, Role::User);
  EXPECT_EQ(parsed->turns.back().text, "Name three colors.");
  if (c.system_is_separate) {
    EXPECT_EQ(parsed->system_text, "You are terse.");
    ASSERT_EQ(parsed->turns.size(), 3u);
    EXPECT_EQ(parsed->turns[0].text, "Hi");
    EXPECT_EQ(parsed->turns[1].role, Role::Assistant);
    EXPECT_EQ(parsed->turns[1].text, "Hello!");
  }
}

// emulator render -> decode: the emulator's answer, stop reason and usage come back.
TEST_P(CodecEmulatorRoundTrip, DecodesEmulatorResponse) {
  const auto& c = GetParam();
  const ModelInfo model = testing::model(c.model_id);
  auto body =
      codec_for(c.family).encode(testing::system_user_prompt(), sample_params(c.family), model);
  ASSERT_TRUE(body.has_value());
  auto parsed = emulator::model::parse_native_request(model, *body);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;

  for (StopReason reason : {StopReason::EndTurn, StopReason::MaxTokens}) {
    emulator::model::EmulatedAnswer answer = emulator::model::default_answer(model, *parsed);
    answer.stop_reason = reason;
    const std::string response = emulator::model::render_native_response(model, *parsed, answer);
    auto out = codec_for(c.family).decode(response);
    ASSERT_TRUE(out.has_value()) << out.error().message << "\nresponse: " << response;
    EXPECT_EQ(out->text, answer.text) << response;
    EXPECT_EQ(out->stop_reason, reason) << response;
    if (!answer.reasoning.empty()) {
      EXPECT_EQ(out->reasoning, answer.reasoning) << response;
    }
    if (out->usage.reported) {
      EXPECT_EQ(out->usage.input_tokens, answer.input_tokens);
      EXPECT_EQ(out->usage.output_tokens, answer.output_tokens);
    }
  }
}

// The same two checks through Converse, for every family.
TEST_P(CodecEmulatorRoundTrip, ConverseRoundTrip) {
  const auto& c = GetParam();
  const ModelInfo model = testing::model(c.model_id);
  auto params = sample_params(c.family);
  auto body = encode_converse(testing::multi_turn_prompt(), params, model);
  ASSERT_TRUE(body.has_value()) << body.error().message;
  auto parsed = emulator::model::parse_converse_request(model, *body);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message << "\nbody: " << *body;
  EXPECT_EQ(parsed->system_text, "You are terse.");
  ASSERT_EQ(parsed->turns.size(), 3u);
  EXPECT_EQ(parsed->turns[2].text, "Name three colors.");
  EXPECT_EQ(parsed->max_tokens, 200);
  EXPECT_EQ(parsed->stop_sequences, params.stop_sequences);

  const emulator::model::EmulatedAnswer answer = emulator::model::default_answer(model, *parsed);
  auto out = decode_converse(emulator::model::render_converse_response(*parsed, answer, 12));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, answer.text);
  EXPECT_EQ(out->stop_reason, answer.stop_reason);
  EXPECT_TRUE(out->usage.reported);
  EXPECT_EQ(out->usage.input_tokens, answer.input_tokens);
  EXPECT_EQ(out->usage.output_tokens, answer.output_tokens);
}

INSTANTIATE_TEST_SUITE_P(Families, CodecEmulatorRoundTrip, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<RoundTripCase>& param_info) {
                           std::string name(to_string(param_info.param.family));
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace bedrock::models
