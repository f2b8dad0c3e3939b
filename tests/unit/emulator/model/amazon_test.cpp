#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"
#include "emulator/model/request_checks.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using testing::malformed;
using testing::nova_lite;
using testing::parse_error;
using testing::parse_ok;
using testing::titan_express;

struct AmazonErrorCase {
  const char* name;
  std::string body;
  std::string message;
};

// The §7.3 example parses; "User:/Bot:" markup is removed from the turn.
TEST(TitanTextParse, ReferenceExample) {
  EmulatedRequest r = parse_ok(titan_express(), R"({"inputText":"User: Name three colors.\nBot:",
    "textGenerationConfig":{"maxTokenCount":128,"temperature":0.7,"topP":0.9,"stopSequences":["|"]}})");
  EXPECT_EQ(r.family, ModelFamily::TitanText);
  ASSERT_EQ(r.turns.size(), 1u);
  EXPECT_EQ(r.prompt_text, "Name three colors.");
  EXPECT_EQ(r.max_tokens, 128);
  EXPECT_EQ(r.stop_sequences, std::vector<std::string>{"|"});
  EXPECT_DOUBLE_EQ(r.temperature.value(), 0.7);
  EXPECT_DOUBLE_EQ(r.top_p.value(), 0.9);
  EXPECT_EQ(r.input_tokens, estimate_tokens("User: Name three colors.\nBot:"));
}

// Without textGenerationConfig the documented default of 512 tokens applies.
TEST(TitanTextParse, DefaultMaxTokens) {
  EmulatedRequest r = parse_ok(titan_express(), R"({"inputText":"Hello there"})");
  EXPECT_EQ(r.max_tokens, 512);
  EXPECT_FALSE(r.max_tokens_given);
  EXPECT_EQ(r.prompt_text, "Hello there");
}

TEST(TitanTextParse, RejectsWhatBedrockRejects) {
  const std::vector<AmazonErrorCase> cases = {
      {"missing inputText", R"({"textGenerationConfig":{}})",
       malformed("#: required key [inputText] not found")},
      {"extraneous", R"({"inputText":"x","prompt":"y"})",
       malformed("#: extraneous key [prompt] is not permitted")},
      {"nested extraneous", R"({"inputText":"x","textGenerationConfig":{"max_tokens":5}})",
       malformed("#/textGenerationConfig: extraneous key [max_tokens] is not permitted")},
      {"max above model", R"({"inputText":"x","textGenerationConfig":{"maxTokenCount":10000}})",
       malformed("#/textGenerationConfig/maxTokenCount: 10000 is not less or equal to 8192")},
      {"max type", R"({"inputText":"x","textGenerationConfig":{"maxTokenCount":"5"}})",
       malformed("#/textGenerationConfig/maxTokenCount: expected type: Integer, found: String")},
      {"temperature", R"({"inputText":"x","textGenerationConfig":{"temperature":1.2}})",
       malformed("#/textGenerationConfig/temperature: 1.2 is not less or equal to 1")},
      {"topP", R"({"inputText":"x","textGenerationConfig":{"topP":-1}})",
       malformed("#/textGenerationConfig/topP: -1 is not greater or equal to 0")},
      {"inputText type", R"({"inputText":5})",
       malformed("#/inputText: expected type: String, found: Integer")},
      {"empty inputText", R"({"inputText":""})",
       malformed("#/inputText: expected minLength: 1, actual: 0")},
      {"stop form", R"({"inputText":"x","textGenerationConfig":{"stopSequences":["|","END"]}})",
       malformed("#/textGenerationConfig/stopSequences/1: string [END] does not match pattern "
                 "^(\\|+|User:)$")},
      {"config type", R"({"inputText":"x","textGenerationConfig":[]})",
       malformed("#/textGenerationConfig: expected type: JSONObject, found: JSONArray")},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_error(titan_express(), c.body), c.message) << c.name;
}

// Titan's response: inputTextTokenCount and one result with tokenCount/outputText/reason.
TEST(TitanTextRender, DocumentedShapeAndReasons) {
  EmulatedRequest r =
      parse_ok(titan_express(), R"({"inputText":"User: The sky is blue. Grass is green.\nBot:"})");
  EmulatedAnswer a = default_answer(titan_express(), r);
  json out = json::parse(render_native_response(titan_express(), r, a));
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(out["inputTextTokenCount"], r.input_tokens);
  ASSERT_EQ(out["results"].size(), 1u);
  const json& result = out["results"][0];
  EXPECT_EQ(result.size(), 3u);
  EXPECT_EQ(result["outputText"], "The sky is blue. Grass is green.");
  EXPECT_EQ(result["tokenCount"], estimate_tokens("The sky is blue. Grass is green."));
  EXPECT_EQ(result["completionReason"], "FINISHED");

  r.max_tokens = 3;
  a = default_answer(titan_express(), r);
  out = json::parse(render_native_response(titan_express(), r, a));
  EXPECT_EQ(out["results"][0]["completionReason"], "LENGTH");
  EXPECT_EQ(out["results"][0]["outputText"], "The sky is");

  EmulatedRequest piped = parse_ok(
      titan_express(), R"({"inputText":"User: Alpha one | beta two. More words here.\nBot:",
        "textGenerationConfig":{"stopSequences":["|"]}})");
  out = json::parse(
      render_native_response(titan_express(), piped, default_answer(titan_express(), piped)));
  EXPECT_EQ(out["results"][0]["completionReason"], "STOP_CRITERIA_MET");
  EXPECT_EQ(out["results"][0]["outputText"], "Alpha one ");
}

const std::string kNovaRequest = R"({"schemaVersion":"messages-v1",
  "system":[{"text":"You are terse."}],
  "messages":[{"role":"user","content":[{"text":"Summarize: The cat sat."}]}],
  "inferenceConfig":{"maxTokens":256,"temperature":0.7,"topP":0.9,"topK":50,"stopSequences":["END"]}})";

// The §7.4 example parses, and so does the first published snake_case spelling.
TEST(NovaParse, ReferenceExampleAndLegacySpelling) {
  EmulatedRequest r = parse_ok(nova_lite(), kNovaRequest);
  EXPECT_EQ(r.family, ModelFamily::Nova);
  EXPECT_EQ(r.system_text, "You are terse.");
  EXPECT_EQ(r.prompt_text, "Summarize: The cat sat.");
  EXPECT_EQ(r.max_tokens, 256);
  EXPECT_EQ(r.stop_sequences, std::vector<std::string>{"END"});
  EXPECT_EQ(r.top_k.value(), 50);

  EmulatedRequest legacy =
      parse_ok(nova_lite(), R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}],
    "inferenceConfig":{"max_new_tokens":77,"top_p":0.5,"top_k":20}})");
  EXPECT_EQ(legacy.max_tokens, 77);
  EXPECT_DOUBLE_EQ(legacy.top_p.value(), 0.5);
  EXPECT_EQ(legacy.top_k.value(), 20);

  EmulatedRequest defaults =
      parse_ok(nova_lite(), R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}]})");
  EXPECT_EQ(defaults.max_tokens, 5000);
  EXPECT_FALSE(defaults.max_tokens_given);
}

TEST(NovaParse, RejectsWhatBedrockRejects) {
  const std::string msgs = R"("messages":[{"role":"user","content":[{"text":"Hi"}]}])";
  const std::vector<AmazonErrorCase> cases = {
      {"missing messages", R"({"inferenceConfig":{}})",
       malformed("#: required key [messages] not found")},
      {"extraneous", "{" + msgs + R"(,"anthropic_version":"x"})",
       malformed("#: extraneous key [anthropic_version] is not permitted")},
      {"max above model", "{" + msgs + R"(,"inferenceConfig":{"maxTokens":6000}})",
       malformed("#/inferenceConfig/maxTokens: 6000 is not less or equal to 5000")},
      {"max zero", "{" + msgs + R"(,"inferenceConfig":{"maxTokens":0}})",
       malformed("#/inferenceConfig/maxTokens: 0 is not greater or equal to 1")},
      {"temperature", "{" + msgs + R"(,"inferenceConfig":{"temperature":3}})",
       malformed("#/inferenceConfig/temperature: 3 is not less or equal to 1")},
      {"content string", R"({"messages":[{"role":"user","content":"Hi"}]})",
       malformed("#/messages/0/content: expected type: JSONArray, found: String")},
      {"bad block key", R"({"messages":[{"role":"user","content":[{"txt":"Hi"}]}]})",
       malformed("#/messages/0/content/0: extraneous key [txt] is not permitted")},
      {"schema version", "{" + msgs + R"(,"schemaVersion":"v2"})",
       malformed("#/schemaVersion: v2 is not a valid enum value")},
      {"assistant first", R"({"messages":[{"role":"assistant","content":[{"text":"Hi"}]}]})",
       "A conversation must start with a user message. Try again with a conversation that starts "
       "with a user message."},
      {"no alternation",
       R"({"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"user","content":[{"text":"b"}]}]})",
       "A conversation must alternate between user and assistant roles. Make sure the "
       "conversation alternates between user and assistant roles and try again."},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_error(nova_lite(), c.body), c.message) << c.name;
}

// Nova's response: output.message, stopReason and usage with its cache counters.
TEST(NovaRender, DocumentedShape) {
  EmulatedRequest r = parse_ok(nova_lite(), kNovaRequest);
  EmulatedAnswer a = default_answer(nova_lite(), r);
  json out = json::parse(render_native_response(nova_lite(), r, a));
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(out["output"]["message"]["role"], "assistant");
  ASSERT_EQ(out["output"]["message"]["content"].size(), 1u);
  EXPECT_EQ(out["output"]["message"]["content"][0]["text"], "The cat sat.");
  EXPECT_EQ(out["stopReason"], "end_turn");
  const json& usage = out["usage"];
  EXPECT_EQ(usage["inputTokens"], r.input_tokens);
  EXPECT_EQ(usage["outputTokens"], estimate_tokens("The cat sat."));
  EXPECT_EQ(usage["totalTokens"], r.input_tokens + estimate_tokens("The cat sat."));
  EXPECT_EQ(usage["cacheReadInputTokenCount"], 0);
  EXPECT_EQ(usage["cacheWriteInputTokenCount"], 0);

  r.max_tokens = 1;
  out = json::parse(render_native_response(nova_lite(), r, default_answer(nova_lite(), r)));
  EXPECT_EQ(out["stopReason"], "max_tokens");
  EXPECT_EQ(out["usage"]["outputTokens"], 1);
}

}  // namespace
}  // namespace bedrock::emulator::model

namespace bedrock::emulator::model {
namespace {

// Beyond a known model's context window Bedrock answers "Input is too long ..."; an unknown
// model's limits are guesses, so it is not held to them.
TEST(ContextWindow, InputTooLongForKnownModels) {
  std::string big(40000, 'a');  // 10,000 estimated tokens > Titan Express's 8,192
  std::string body = R"({"inputText":")" + big + "\"}";
  EXPECT_EQ(testing::parse_error(testing::titan_express(), body),
            "Input is too long for requested model.");
  EXPECT_EQ(testing::parse_error(testing::titan_express(),
                                 R"({"inputText":")" + std::string(30000, 'a') + "\"}"),
            "");
  ModelInfo unknown = testing::titan_express();
  unknown.known = false;
  EXPECT_EQ(testing::parse_error(unknown, body), "");

  auto converse = parse_converse_request(
      testing::titan_express(),
      R"({"messages":[{"role":"user","content":[{"text":")" + big + "\"}]}]}");
  ASSERT_FALSE(converse);
  EXPECT_EQ(converse.error().message, "Input is too long for requested model.");
}

}  // namespace
}  // namespace bedrock::emulator::model
