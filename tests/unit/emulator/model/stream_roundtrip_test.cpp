// The stream decoders against the emulator's stream renderers (src/emulator/model): for every
// family that streams, the emulator's stream bytes decode to the same text, reasoning, stop
// reason and usage as the emulator's non-streamed answer to the same request, through
// InvokeModelWithResponseStream and through ConverseStream.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "tests/unit/models/stream_test_support.h"

namespace bedrock::models {
namespace {

using F = ModelFamily;

struct StreamCase {
  F family;
  const char* model_id;
};

std::vector<StreamCase> streaming_cases() {
  return {
      {F::AnthropicMessages, "anthropic.claude-3-haiku-20240307-v1:0"},
      {F::AnthropicText, "anthropic.claude-v2:1"},
      {F::TitanText, "amazon.titan-text-express-v1"},
      {F::Nova, "amazon.nova-lite-v1:0"},
      {F::Llama2, "meta.llama2-13b-chat-v1"},
      {F::Llama3, "meta.llama3-8b-instruct-v1:0"},
      {F::MistralText, "mistral.mistral-7b-instruct-v0:2"},
      {F::DeepSeek, "deepseek.r1-v1:0"},
      {F::MistralChat, "mistral.mistral-large-2407-v1:0"},
      {F::CohereCommandR, "cohere.command-r-v1:0"},
      {F::Ai21Jamba, "ai21.jamba-1-5-mini-v1:0"},
      {F::OpenAiGptOss, "openai.gpt-oss-20b-1:0"},
  };
}

// A request long enough that the answer streams in several chunks.
Prompt long_prompt() {
  return Prompt::from_user(
      "Summarize the following:\n\nThe harbour town woke slowly. Fishing boats came in with the "
      "tide and the market filled with voices. By noon the square was crowded with visitors "
      "who had come for the festival. In the evening lanterns were lit along the quay.",
      "You are terse.");
}

class EmulatorStreamRoundTrip : public ::testing::TestWithParam<StreamCase> {};

// Native stream chunks fold into what decode() reads from the native response body.
TEST_P(EmulatorStreamRoundTrip, InvokeStreamMatchesNonStreamed) {
  const auto& c = GetParam();
  ASSERT_TRUE(emulator::model::streams_natively(c.family));
  ASSERT_TRUE(supports_invoke_stream(c.family));
  const ModelInfo model = testing::model(c.model_id);
  InferenceParams params;
  params.max_tokens = 200;
  auto body = codec_for(c.family).encode(long_prompt(), params, model);
  ASSERT_TRUE(body.has_value()) << body.error().message;
  auto request = emulator::model::parse_native_request(model, *body);
  ASSERT_TRUE(request.has_value()) << request.error().message;

  for (StopReason reason : {StopReason::EndTurn, StopReason::MaxTokens}) {
    emulator::model::EmulatedAnswer answer = emulator::model::default_answer(model, *request);
    answer.stop_reason = reason;
    auto whole = codec_for(c.family).decode(
        emulator::model::render_native_response(model, *request, answer));
    ASSERT_TRUE(whole.has_value()) << whole.error().message;
    auto chunks = emulator::model::render_native_stream(model, *request, answer, {950, 120});
    ASSERT_TRUE(chunks.has_value());
    ASSERT_GT(chunks->size(), 2u);

    auto events = testing::decode_invoke_bytes(testing::frame_chunks(*chunks), c.family, 5);
    ASSERT_TRUE(events.has_value()) << events.error().message;
    const auto acc = testing::accumulate(*events);
    auto streamed = acc.finish();
    ASSERT_TRUE(streamed.has_value()) << streamed.error().message;
    EXPECT_EQ(streamed->text, answer.text);
    EXPECT_EQ(streamed->text, whole->text);
    EXPECT_EQ(streamed->reasoning, whole->reasoning);
    // DeepSeek-R1 and gpt-oss answer after thinking: the held-back reasoning comes out whole.
    if (c.family == F::DeepSeek || c.family == F::OpenAiGptOss) {
      EXPECT_FALSE(answer.reasoning.empty());
      EXPECT_EQ(streamed->reasoning, answer.reasoning);
    }
    EXPECT_EQ(streamed->stop_reason, reason);
    EXPECT_EQ(streamed->raw_stop_reason, whole->raw_stop_reason);
    ASSERT_TRUE(streamed->usage.reported);
    EXPECT_EQ(streamed->usage.input_tokens, answer.input_tokens);
    EXPECT_EQ(streamed->usage.output_tokens, answer.output_tokens);
    EXPECT_EQ(acc.metrics().latency_ms, 950);
    EXPECT_EQ(acc.metrics().first_byte_latency_ms, 120);
  }
}

// ConverseStream bytes fold into what decode_converse reads from the Converse response.
TEST_P(EmulatorStreamRoundTrip, ConverseStreamMatchesConverse) {
  const auto& c = GetParam();
  const ModelInfo model = testing::model(c.model_id);
  InferenceParams params;
  params.max_tokens = 200;
  auto body = encode_converse(long_prompt(), params, model);
  ASSERT_TRUE(body.has_value()) << body.error().message;
  auto request = emulator::model::parse_converse_request(model, *body);
  ASSERT_TRUE(request.has_value()) << request.error().message;

  const emulator::model::EmulatedAnswer answer = emulator::model::default_answer(model, *request);
  auto whole = decode_converse(emulator::model::render_converse_response(*request, answer, 321));
  ASSERT_TRUE(whole.has_value());
  auto events = testing::decode_converse_bytes(
      emulator::model::render_converse_stream(*request, answer, 321), 3);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  const auto acc = testing::accumulate(*events);
  auto streamed = acc.finish();
  ASSERT_TRUE(streamed.has_value()) << streamed.error().message;
  EXPECT_EQ(streamed->text, whole->text);
  EXPECT_EQ(streamed->text, answer.text);
  EXPECT_EQ(streamed->reasoning, whole->reasoning);
  EXPECT_EQ(streamed->stop_reason, whole->stop_reason);
  EXPECT_EQ(streamed->usage.input_tokens, whole->usage.input_tokens);
  EXPECT_EQ(streamed->usage.output_tokens, whole->usage.output_tokens);
  EXPECT_TRUE(streamed->usage.reported);
  EXPECT_EQ(acc.metrics().latency_ms, 321);
}

INSTANTIATE_TEST_SUITE_P(Families, EmulatorStreamRoundTrip, ::testing::ValuesIn(streaming_cases()),
                         [](const ::testing::TestParamInfo<StreamCase>& param_info) {
                           std::string name(to_string(param_info.param.family));
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

// The families the emulator does not stream are exactly the ones the client refuses.
TEST(EmulatorStreamRoundTripScope, SameFamiliesStream) {
  for (F family : {F::AnthropicMessages, F::AnthropicText, F::TitanText, F::Nova, F::Llama2,
                   F::Llama3, F::MistralText, F::MistralChat, F::CohereCommand, F::CohereCommandR,
                   F::Ai21Jurassic, F::Ai21Jamba, F::DeepSeek, F::OpenAiGptOss}) {
    EXPECT_EQ(supports_invoke_stream(family), emulator::model::streams_natively(family))
        << to_string(family);
  }
}

}  // namespace
}  // namespace bedrock::models
