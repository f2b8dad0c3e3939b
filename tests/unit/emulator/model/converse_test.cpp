#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"
#include "emulator/model/request_checks.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using testing::claude_haiku;
using testing::deepseek;
using testing::nova_lite;

const std::string kReference =
    R"({"messages":[{"role":"user","content":[{"text":"Summarize: The cat sat."}]}],
 "system":[{"text":"You are terse."}],
 "inferenceConfig":{"maxTokens":256,"temperature":0.5,"topP":0.9,"stopSequences":["END"]},
 "additionalModelRequestFields":{"top_k":200}})";

std::string converse_error(const ModelInfo& m, const std::string& body) {
  auto r = parse_converse_request(m, body);
  if (r) return "";
  if (r.error().code != ErrorCode::Validation || r.error().http_status != 400) {
    return "wrong kind: " + r.error().message;
  }
  return r.error().message;
}

// The §8.1 example parses into prompt, system, limits and the Claude top_k extra.
TEST(ConverseParse, ReferenceExample) {
  auto r = parse_converse_request(claude_haiku(), kReference);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->family, ModelFamily::AnthropicMessages);
  EXPECT_EQ(r->system_text, "You are terse.");
  EXPECT_EQ(r->prompt_text, "Summarize: The cat sat.");
  EXPECT_EQ(r->max_tokens, 256);
  EXPECT_EQ(r->stop_sequences, std::vector<std::string>{"END"});
  EXPECT_DOUBLE_EQ(r->temperature.value(), 0.5);
  EXPECT_DOUBLE_EQ(r->top_p.value(), 0.9);
  EXPECT_EQ(r->top_k.value(), 200);
  EXPECT_EQ(r->input_tokens,
            estimate_tokens("You are terse.") + estimate_tokens("Summarize: The cat sat."));
}

// maxTokens defaults to the model's maximum; unknown members are ignored as AWS JSON does.
TEST(ConverseParse, DefaultsAndLeniency) {
  auto r = parse_converse_request(
      nova_lite(), R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}],"futureField":1})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->max_tokens, 5000);
  EXPECT_FALSE(r->max_tokens_given);
}

// Service-model constraints and Bedrock's conversation checks, with AWS's wording.
TEST(ConverseParse, RejectsWhatBedrockRejects) {
  const std::string user = R"({"role":"user","content":[{"text":"Hi"}]})";
  struct Case {
    const char* name;
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"no messages", R"({"system":[{"text":"x"}]})",
       "1 validation error detected: Value null at 'messages' failed to satisfy constraint: "
       "Member must not be null"},
      {"bad role", R"({"messages":[{"role":"system","content":[{"text":"x"}]}]})",
       "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to "
       "satisfy constraint: Member must satisfy enum value set: [user, assistant]"},
      {"no content", R"({"messages":[{"role":"user"}]})",
       "1 validation error detected: Value null at 'messages.1.member.content' failed to "
       "satisfy constraint: Member must not be null"},
      {"max zero", R"({"messages":[)" + user + R"(],"inferenceConfig":{"maxTokens":0}})",
       "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy "
       "constraint: Member must have value greater than or equal to 1"},
      {"max type", R"({"messages":[)" + user + R"(],"inferenceConfig":{"maxTokens":"9"}})",
       "1 validation error detected: Value '\"9\"' at 'inferenceConfig.maxTokens' failed to "
       "satisfy constraint: Member must be of type integer"},
      {"temperature", R"({"messages":[)" + user + R"(],"inferenceConfig":{"temperature":1.5}})",
       "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to "
       "satisfy constraint: Member must have value less than or equal to 1"},
      {"two errors",
       R"({"messages":[)" + user + R"(],"inferenceConfig":{"temperature":2,"topP":-1}})",
       "2 validation errors detected: Value '2.0' at 'inferenceConfig.temperature' failed to "
       "satisfy constraint: Member must have value less than or equal to 1; Value '-1.0' at "
       "'inferenceConfig.topP' failed to satisfy constraint: Member must have value greater "
       "than or equal to 0"},
      {"empty stop", R"({"messages":[)" + user + R"(],"inferenceConfig":{"stopSequences":[""]}})",
       "1 validation error detected: Value '' at 'inferenceConfig.stopSequences.1.member' "
       "failed to satisfy constraint: Member must have length greater than or equal to 1"},
      {"empty system", R"({"messages":[)" + user + R"(],"system":[{"text":""}]})",
       "1 validation error detected: Value '' at 'system.1.member.text' failed to satisfy "
       "constraint: Member must have length greater than or equal to 1"},
      {"assistant first", R"({"messages":[{"role":"assistant","content":[{"text":"x"}]}]})",
       "A conversation must start with a user message. Try again with a conversation that "
       "starts with a user message."},
      {"no alternation", R"({"messages":[)" + user + "," + user + "]}",
       "A conversation must alternate between user and assistant roles. Make sure the "
       "conversation alternates between user and assistant roles and try again."},
      {"blank text", R"({"messages":[{"role":"user","content":[{"text":"  "}]}]})",
       "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to "
       "the text field, and try again."},
      {"above model limit",
       R"({"messages":[)" + user + R"(],"inferenceConfig":{"maxTokens":4097}})",
       "The maximum tokens you requested exceeds the model limit of 4096. Try again with a "
       "maximum tokens value that is lower than 4096."},
  };
  for (const auto& c : cases)
    EXPECT_EQ(converse_error(claude_haiku(), c.body), c.message) << c.name;
}

// Llama and Mistral chat have no stop parameter; Converse refuses one for them.
TEST(ConverseParse, StopSequencesUnsupportedForLlama) {
  auto r = parse_converse_request(testing::llama3(),
                                  R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}],
      "inferenceConfig":{"stopSequences":["END"]}})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "This model doesn't support the stopSequences field. Remove stopSequences and try "
            "again.");
  EXPECT_TRUE(parse_converse_request(
      testing::llama3(), R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}]})"));
}

// A body that is not a JSON object is a SerializationException-typed 400.
TEST(ConverseParse, RejectsNonObject) {
  auto r = parse_converse_request(claude_haiku(), "not json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(r.error().aws_type, "SerializationException");
}

// The response carries output.message, stopReason, usage that adds up and metrics.
TEST(ConverseRender, DocumentedShape) {
  auto r = parse_converse_request(claude_haiku(), kReference);
  ASSERT_TRUE(r);
  EmulatedAnswer a = default_answer(claude_haiku(), *r);
  json out = json::parse(render_converse_response(*r, a, 862));
  EXPECT_EQ(out.size(), 4u);
  EXPECT_EQ(out["output"]["message"]["role"], "assistant");
  EXPECT_EQ(out["output"]["message"]["content"][0]["text"], "The cat sat.");
  EXPECT_EQ(out["stopReason"], "end_turn");
  EXPECT_EQ(out["usage"]["inputTokens"], r->input_tokens);
  EXPECT_EQ(out["usage"]["outputTokens"], estimate_tokens("The cat sat."));
  EXPECT_EQ(out["usage"]["totalTokens"], r->input_tokens + estimate_tokens("The cat sat."));
  EXPECT_EQ(out["metrics"]["latencyMs"], 862);

  r->max_tokens = 1;
  out = json::parse(render_converse_response(*r, default_answer(claude_haiku(), *r), 5));
  EXPECT_EQ(out["stopReason"], "max_tokens");
}

// Requested native fields come back by JSON pointer; reasoning models add a reasoning block.
TEST(ConverseRender, AdditionalFieldsAndReasoning) {
  auto r = parse_converse_request(
      claude_haiku(),
      R"({"messages":[{"role":"user","content":[{"text":"The cat sat on the mat. END of story."}]}],
          "inferenceConfig":{"stopSequences":["END"]},
          "additionalModelResponseFieldPaths":["/stop_sequence","/missing"]})");
  ASSERT_TRUE(r) << r.error().message;
  json out = json::parse(render_converse_response(*r, default_answer(claude_haiku(), *r), 1));
  EXPECT_EQ(out["stopReason"], "stop_sequence");
  EXPECT_EQ(out["additionalModelResponseFields"], (json{{"stop_sequence", "END"}}));

  auto d = parse_converse_request(
      deepseek(),
      R"({"messages":[{"role":"user","content":[{"text":"Explain tides in a few words please."}]}]})");
  ASSERT_TRUE(d);
  EmulatedAnswer a = default_answer(deepseek(), *d);
  out = json::parse(render_converse_response(*d, a, 1));
  const json& content = out["output"]["message"]["content"];
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[0]["reasoningContent"]["reasoningText"]["text"], a.reasoning);
  EXPECT_EQ(content[1]["text"], a.text);
  EXPECT_EQ(out["usage"]["outputTokens"], a.output_tokens);
}

}  // namespace
}  // namespace bedrock::emulator::model
