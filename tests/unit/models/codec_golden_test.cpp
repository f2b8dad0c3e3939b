// Every family: encode the standard prompts and compare with hand-written golden bodies
// (tests/data/models/<family>/), decode the example response of docs/wire-protocol.md §7.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bedrock/models/codec.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using testing::golden_json;
using testing::read_golden;

struct GoldenCase {
  ModelFamily family;
  const char* model_id;
  InferenceParams params;  // for request.json; request_multi_turn.json uses max_tokens 64 only
  std::string text;
  std::string reasoning;
  StopReason stop;
  std::string raw_stop;
  bool usage_reported;
  int input_tokens;
  int output_tokens;
};

InferenceParams p(int max, double temperature, double top_p, std::optional<int> top_k,
                  std::vector<std::string> stops) {
  InferenceParams out;
  out.max_tokens = max;
  out.temperature = temperature;
  out.top_p = top_p;
  out.top_k = top_k;
  out.stop_sequences = std::move(stops);
  return out;
}

std::vector<GoldenCase> cases() {
  using F = ModelFamily;
  const auto S = StopReason::EndTurn;
  return {
      {F::AnthropicMessages, "anthropic.claude-3-haiku-20240307-v1:0",
       p(256, 0.5, 0.9, 250, {"\n\nHuman:"}), "A cat sat.", "", S, "end_turn", true, 18, 6},
      {F::AnthropicText, "anthropic.claude-v2:1", p(100, 0.5, 0.9, 250, {"\n\nHuman:"}),
       " 2 + 2 = 4.", "", S, "stop_sequence", false, 0, 0},
      {F::TitanText, "amazon.titan-text-express-v1", p(128, 0.7, 0.9, std::nullopt, {"|"}),
       " Red, green and blue.", "", S, "FINISHED", true, 9, 7},
      {F::Nova, "amazon.nova-lite-v1:0", p(256, 0.7, 0.9, 50, {"END"}), "A cat sat.", "", S,
       "end_turn", true, 12, 5},
      {F::Llama2, "meta.llama2-13b-chat-v1", p(128, 0.5, 0.9, std::nullopt, {}),
       "Red, green, and blue.", "", S, "stop", true, 17, 7},
      {F::Llama3, "meta.llama3-8b-instruct-v1:0", p(128, 0.5, 0.9, std::nullopt, {}),
       "Red, green, and blue.", "", S, "stop", true, 17, 7},
      {F::MistralText, "mistral.mistral-7b-instruct-v0:2", p(128, 0.5, 0.9, 50, {"</s>"}),
       " Red, green and blue.", "", S, "stop", false, 0, 0},
      {F::MistralChat, "mistral.mistral-large-2407-v1:0", p(128, 0.5, 0.9, std::nullopt, {}),
       "Red, green and blue.", "", S, "stop", false, 0, 0},
      {F::CohereCommand, "cohere.command-text-v14", p(100, 0.5, 0.75, 0, {"--"}),
       " Red, green and blue.", "", S, "COMPLETE", false, 0, 0},
      {F::CohereCommandR, "cohere.command-r-v1:0", p(128, 0.3, 0.75, 50, {"END"}),
       "Red, green and blue.", "", S, "COMPLETE", false, 0, 0},
      {F::Ai21Jurassic, "ai21.j2-mid-v1", p(100, 0.5, 1.0, std::nullopt, {"##"}),
       "Red, green and blue.", "", S, "endoftext", false, 0, 0},
      {F::Ai21Jamba, "ai21.jamba-1-5-mini-v1:0", p(256, 0.7, 0.9, std::nullopt, {"END"}),
       "Red, green and blue.", "", S, "stop", true, 15, 6},
      {F::DeepSeek, "deepseek.r1-v1:0", p(512, 0.6, 0.9, std::nullopt, {"END"}),
       "Red, green and blue.", "The user wants three colors.", S, "stop", false, 0, 0},
      {F::OpenAiGptOss, "openai.gpt-oss-20b-1:0", p(256, 0.7, 0.9, std::nullopt, {"END"}),
       "Red, green and blue.", "List three colors.", S, "stop", true, 20, 12},
  };
}

std::string dir(ModelFamily f) { return std::string(to_string(f)) + "/"; }

class CodecGolden : public ::testing::TestWithParam<GoldenCase> {};

// The system + user prompt with every supported parameter encodes to the golden body.
TEST_P(CodecGolden, EncodesSystemUserPrompt) {
  const auto& c = GetParam();
  const ModelCodec& codec = codec_for(c.family);
  ASSERT_EQ(codec.family(), c.family);
  auto body = codec.encode(testing::system_user_prompt(), c.params, testing::model(c.model_id));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(nlohmann::json::parse(*body), golden_json(dir(c.family) + "request.json"));
}

// A user/assistant/user conversation encodes in the family's multi-turn form.
TEST_P(CodecGolden, EncodesMultiTurnPrompt) {
  const auto& c = GetParam();
  InferenceParams params;
  params.max_tokens = 64;
  auto body =
      codec_for(c.family).encode(testing::multi_turn_prompt(), params, testing::model(c.model_id));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(nlohmann::json::parse(*body), golden_json(dir(c.family) + "request_multi_turn.json"));
}

// The example response of docs/wire-protocol.md §7 decodes to its text, stop reason and usage.
TEST_P(CodecGolden, DecodesReferenceResponse) {
  const auto& c = GetParam();
  auto out = codec_for(c.family).decode(read_golden(dir(c.family) + "response.json"));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, c.text);
  EXPECT_EQ(out->reasoning, c.reasoning);
  EXPECT_EQ(out->stop_reason, c.stop);
  EXPECT_EQ(out->raw_stop_reason, c.raw_stop);
  EXPECT_EQ(out->usage.reported, c.usage_reported);
  EXPECT_EQ(out->usage.input_tokens, c.input_tokens);
  EXPECT_EQ(out->usage.output_tokens, c.output_tokens);
}

// Bodies that are not the family's response shape are InvalidResponse, never a crash.
TEST_P(CodecGolden, MalformedResponsesAreInvalidResponse) {
  const auto& c = GetParam();
  for (const char* body :
       {"", "not json", "{\"truncated\": ", "[]", "42", "null", "{}", "{\"choices\": 7}",
        "{\"content\": \"text\", \"results\": {}, \"outputs\": [], \"generations\": [{}]}"}) {
    auto out = codec_for(c.family).decode(body);
    ASSERT_FALSE(out.has_value()) << to_string(c.family) << " accepted: " << body;
    EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse) << body;
    EXPECT_FALSE(out.error().message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Families, CodecGolden, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& param_info) {
                           std::string name(to_string(param_info.param.family));
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace bedrock::models
