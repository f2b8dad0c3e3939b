// Hostile bodies never crash or throw: every family answers a value or a Validation error.
#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"
#include "emulator/model/request_checks.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using namespace testing;  // NOLINT: test helpers

const std::vector<std::string> kBodies = {
    "",
    "null",
    "{}",
    "[]",
    "\"x\"",
    "{\"a\":",
    R"({"messages":null})",
    R"({"messages":[null]})",
    R"({"messages":[{"role":null,"content":null}]})",
    R"({"messages":[{"role":"user","content":[null,{},{"type":null},{"text":5},[]]}]})",
    R"({"messages":[{"role":"user","content":[{"type":"text"}]}],"max_tokens":5,"anthropic_version":"bedrock-2023-05-31"})",
    R"({"messages":[{"role":"user"}],"system":[null,{"text":null}],"inferenceConfig":{"stopSequences":[null,1]}})",
    R"({"messages":[{"role":"user","content":"x"}],"max_tokens":18446744073709551615})",
    R"({"messages":[{"role":"user","content":"x"}],"max_tokens":-9223372036854775808})",
    R"({"messages":[{"role":"user","content":"x"}],"temperature":1e308,"top_p":-1e308})",
    R"({"prompt":null})",
    R"({"prompt":"x","max_tokens":1e30,"max_gen_len":1e30,"maxTokens":1e30})",
    R"({"prompt":"","max_tokens_to_sample":0})",
    R"({"prompt":"\n\nHuman:\n\nAssistant:","max_tokens_to_sample":0})",
    R"({"inputText":"x","textGenerationConfig":null})",
    R"({"inputText":"x","textGenerationConfig":{"stopSequences":"|"}})",
    R"({"message":"x","chat_history":[1,"a",{},{"role":"USER"}]})",
    R"({"message":"","chat_history":[],"documents":{}})",
    R"({"prompt":"x","countPenalty":{"scale":null},"numResults":0})",
    R"({"messages":[{"role":"user","content":"x"}],"n":1000,"stop":[[]]})",
    R"({"messages":[{"role":"tool","content":null,"tool_calls":{}}],"stream":"yes","model":1})",
    R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}],"additionalModelResponseFieldPaths":["",null,"/~9","/a/b/c/d"]})",
    R"({"messages":[{"role":"user","content":[{"text":"Hi","image":{}}]}],"inferenceConfig":[]})",
    R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}],"inferenceConfig":{"maxTokens":1.5,"temperature":"hot"}})",
    R"({"prompt":"<s>[INST][/INST][INST]<<SYS>><</SYS>>[/INST]</s>","max_tokens":1})",
    R"({"prompt":"<|start_header_id|><|end_header_id|><|eot_id|><|start_header_id|>user"})",
    R"({"prompt":"<｜User｜><｜Assistant｜></think><think><｜end▁of▁sentence｜>"})",
};

std::vector<ModelInfo> every_family() {
  return {claude_haiku(), claude_v2(),  titan_express(),      nova_lite(),      llama2(),
          llama3(),       mistral_7b(), mistral_large_2407(), cohere_command(), cohere_command_r(),
          jurassic(),     jamba(),      deepseek(),           gpt_oss()};
}

void exercise(const ModelInfo& model, const Result<EmulatedRequest>& parsed, bool converse) {
  if (!parsed) {
    EXPECT_EQ(parsed.error().code, ErrorCode::Validation);
    EXPECT_EQ(parsed.error().http_status, 400);
    EXPECT_FALSE(parsed.error().message.empty());
    EXPECT_LT(parsed.error().message.size(), 1000u);
    return;
  }
  EmulatedAnswer answer = default_answer(model, *parsed);
  EXPECT_LE(answer.output_tokens, std::max(parsed->max_tokens, 0));
  std::string body = converse ? render_converse_response(*parsed, answer, 1)
                              : render_native_response(model, *parsed, answer);
  EXPECT_TRUE(nlohmann::json::accept(body)) << body;
}

TEST(Robustness, HostileBodiesGiveValuesOrValidation) {
  for (const ModelInfo& model : every_family()) {
    for (const std::string& body : kBodies) {
      SCOPED_TRACE(model.id + " <- " + body);
      ASSERT_NO_THROW(exercise(model, parse_native_request(model, body), false));
      ASSERT_NO_THROW(exercise(model, parse_converse_request(model, body), true));
    }
  }
}

// A huge offending value is not copied whole into the error message.
TEST(Robustness, ErrorMessagesStayShort) {
  std::string big(100000, 'x');
  auto r = parse_native_request(claude_haiku(), R"({"anthropic_version":")" + big + "\"}");
  ASSERT_FALSE(r);
  EXPECT_LT(r.error().message.size(), 300u);
  auto c = parse_converse_request(claude_haiku(), R"({"messages":[{"role":")" + big + "\"}]}");
  ASSERT_FALSE(c);
  EXPECT_LT(c.error().message.size(), 400u);
}

}  // namespace
}  // namespace bedrock::emulator::model
