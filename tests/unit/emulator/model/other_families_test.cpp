// Meta, Mistral, Cohere, AI21, DeepSeek and gpt-oss: each family's reference request parses,
// its rules reject bad bodies with a message naming the field, and the response has the
// documented members and stop-reason spellings.
#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

struct ErrorCase {
  const char* name;
  ModelInfo model;
  std::string body;
  std::string message;
};

json render(const ModelInfo& m, const EmulatedRequest& r, const ResponseContext& ctx = {}) {
  return json::parse(render_native_response(m, r, default_answer(m, r), ctx));
}

std::vector<std::string> keys(const json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.items()) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

const std::string kDoc =
    "The river flooded the valley in spring. Farmers moved their herds uphill.";

// Every family's rules name the offending member in Bedrock's style.
TEST(OtherFamiliesParse, RejectsWhatBedrockRejects) {
  const std::vector<ErrorCase> cases = {
      {"llama missing prompt", llama3(), R"({"max_gen_len":5})",
       malformed("#: required key [prompt] not found")},
      {"llama extraneous", llama3(), R"({"prompt":"x","max_tokens":5})",
       malformed("#: extraneous key [max_tokens] is not permitted")},
      {"llama max", llama3(), R"({"prompt":"x","max_gen_len":4096})",
       malformed("#/max_gen_len: 4096 is not less or equal to 2048")},
      {"llama temperature", llama2(), R"({"prompt":"x","temperature":1.01})",
       malformed("#/temperature: 1.01 is not less or equal to 1")},
      {"llama2 no images", llama2(), R"({"prompt":"x","images":[]})",
       malformed("#: extraneous key [images] is not permitted")},
      {"mistral max", mistral_7b(), R"({"prompt":"x","max_tokens":9000})",
       malformed("#/max_tokens: 9000 is not less or equal to 8192")},
      {"mistral stop type", mistral_7b(), R"({"prompt":"x","stop":"</s>"})",
       malformed("#/stop: expected type: JSONArray, found: String")},
      {"mistral chat missing", mistral_large_2407(), R"({"max_tokens":5})",
       malformed("#: required key [messages] not found")},
      {"mistral chat role", mistral_large_2407(), R"({"messages":[{"role":"bot","content":"x"}]})",
       malformed("#/messages/0/role: bot is not a valid enum value")},
      {"cohere missing", cohere_command(), R"({"max_tokens":5})",
       malformed("#: required key [prompt] not found")},
      {"cohere generations", cohere_command(), R"({"prompt":"x","num_generations":6})",
       malformed("#/num_generations: 6 is not less or equal to 5")},
      {"cohere truncate", cohere_command(), R"({"prompt":"x","truncate":"MIDDLE"})",
       malformed("#/truncate: MIDDLE is not a valid enum value")},
      {"command r missing", cohere_command_r(), R"({"prompt":"x"})",
       malformed("2 schema violations found")},
      {"command r history role", cohere_command_r(),
       R"({"message":"x","chat_history":[{"role":"BOT","message":"y"}]})",
       malformed("#/chat_history/0/role: BOT is not a valid enum value")},
      {"command r temperature", cohere_command_r(), R"({"message":"x","temperature":2})",
       malformed("#/temperature: 2 is not less or equal to 1")},
      {"jurassic max", jurassic(), R"({"prompt":"x","maxTokens":9000})",
       malformed("#/maxTokens: 9000 is not less or equal to 8191")},
      {"jurassic penalty", jurassic(), R"({"prompt":"x","countPenalty":{"scale":"a"}})",
       malformed("#/countPenalty/scale: expected type: Number, found: String")},
      {"jamba max", jamba(), R"({"messages":[{"role":"user","content":"x"}],"max_tokens":5000})",
       malformed("#/max_tokens: 5000 is not less or equal to 4096")},
      {"jamba temperature", jamba(),
       R"({"messages":[{"role":"user","content":"x"}],"temperature":2.5})",
       malformed("#/temperature: 2.5 is not less or equal to 2")},
      {"jamba empty", jamba(), R"({"messages":[]})",
       malformed("#/messages: expected minimum item count: 1, found: 0")},
      {"deepseek max", deepseek(), R"({"prompt":"x","max_tokens":40000})",
       malformed("#/max_tokens: 40000 is not less or equal to 32768")},
      {"deepseek stops", deepseek(),
       R"({"prompt":"x","stop":["1","2","3","4","5","6","7","8","9","10","11"]})",
       malformed("#/stop: expected maximum item count: 10, found: 11")},
      {"gpt-oss missing", gpt_oss(), R"({"max_completion_tokens":5})",
       malformed("#: required key [messages] not found")},
      {"gpt-oss max type", gpt_oss(),
       R"({"messages":[{"role":"user","content":"x"}],"max_completion_tokens":"5"})",
       malformed("#/max_completion_tokens: expected type: Integer, found: String")},
      {"gpt-oss stream", gpt_oss(), R"({"messages":[{"role":"user","content":"x"}],"stream":true})",
       "stream must be false for InvokeModel; use InvokeModelWithResponseStream to stream."},
      {"gpt-oss model", gpt_oss(),
       R"({"messages":[{"role":"user","content":"x"}],"model":"openai.gpt-oss-120b-1:0"})",
       "The model 'openai.gpt-oss-120b-1:0' in the request body does not match the model "
       "'openai.gpt-oss-20b-1:0' in the request path."},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_error(c.model, c.body), c.message) << c.name;
}

// Llama 3: the header template is removed; the response has Llama's four members.
TEST(LlamaFamily, Llama3ParseAndRender) {
  EmulatedRequest r = parse_ok(
      llama3(),
      R"({"prompt":"<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nName three colors.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n","max_gen_len":128,"temperature":0.5,"top_p":0.9})");
  EXPECT_EQ(r.system_text, "Be brief.");
  EXPECT_EQ(r.prompt_text, "Name three colors.");
  EXPECT_EQ(r.max_tokens, 128);
  EXPECT_EQ(r.input_tokens, estimate_tokens(r.native_prompt));
  json out = render(llama3(), r);
  EXPECT_EQ(keys(out), (std::vector<std::string>{"generation", "generation_token_count",
                                                 "prompt_token_count", "stop_reason"}));
  EXPECT_EQ(out["prompt_token_count"], r.input_tokens);
  EXPECT_EQ(out["generation_token_count"], estimate_tokens(out["generation"].get<std::string>()));
  EXPECT_EQ(out["stop_reason"], "stop");
  r.max_tokens = 1;
  EXPECT_EQ(render(llama3(), r)["stop_reason"], "length");
  EXPECT_EQ(parse_ok(llama3(), R"({"prompt":"Hi there friend"})").max_tokens, 512);
}

// Llama 2: <<SYS>> and [INST] markup is removed.
TEST(LlamaFamily, Llama2Template) {
  EmulatedRequest r = parse_ok(
      llama2(), R"({"prompt":"<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nWhat is rain? [/INST]"})");
  EXPECT_EQ(r.system_text, "Be brief.");
  EXPECT_EQ(r.prompt_text, "What is rain?");
}

// Mistral text: outputs[0] with text and stop_reason; 7B defaults to 512 tokens.
TEST(MistralFamily, TextParseAndRender) {
  EmulatedRequest r = parse_ok(
      mistral_7b(),
      R"({"prompt":"<s>[INST] )" + kDoc +
          R"( [/INST]","max_tokens":128,"temperature":0.5,"top_p":0.9,"top_k":50,"stop":["</s>"]})");
  EXPECT_EQ(r.prompt_text, kDoc);
  EXPECT_EQ(r.stop_sequences, std::vector<std::string>{"</s>"});
  EXPECT_EQ(r.top_k.value(), 50);
  json out = render(mistral_7b(), r);
  EXPECT_EQ(keys(out), std::vector<std::string>{"outputs"});
  ASSERT_EQ(out["outputs"].size(), 1u);
  EXPECT_EQ(keys(out["outputs"][0]), (std::vector<std::string>{"stop_reason", "text"}));
  EXPECT_EQ(out["outputs"][0]["text"], kDoc);
  EXPECT_EQ(out["outputs"][0]["stop_reason"], "stop");
  EXPECT_EQ(parse_ok(mistral_7b(), R"({"prompt":"x"})").max_tokens, 512);
}

// Mistral chat: choices[0].message plus both stop-field spellings (§7.7 is unverified).
TEST(MistralFamily, ChatParseAndRender) {
  EmulatedRequest r = parse_ok(
      mistral_large_2407(),
      R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":")" + kDoc +
          R"("}],"max_tokens":3})");
  EXPECT_EQ(r.system_text, "Be brief.");
  EXPECT_EQ(r.prompt_text, kDoc);
  json out = render(mistral_large_2407(), r);
  const json& choice = out["choices"][0];
  EXPECT_EQ(choice["index"], 0);
  EXPECT_EQ(choice["message"]["role"], "assistant");
  EXPECT_EQ(choice["message"]["content"], "The river");
  EXPECT_EQ(choice["stop_reason"], "length");
  EXPECT_EQ(choice["finish_reason"], "length");
}

// Mistral Large 24.02 speaks both APIs; the response follows the body's shape.
TEST(MistralFamily, Large2402AnswersInTheApiItWasAsked) {
  ModelInfo large = model("mistral.mistral-large-2402-v1:0", ModelFamily::MistralText, 8192, 32000);
  EmulatedRequest chat =
      parse_ok(large, R"({"messages":[{"role":"user","content":"Name three colors please."}]})");
  EXPECT_EQ(chat.family, ModelFamily::MistralChat);
  EXPECT_EQ(chat.max_tokens, 8192);
  EXPECT_EQ(render(large, chat)["choices"][0]["message"]["content"], "Name three colors please.");
  EmulatedRequest text =
      parse_ok(large, R"({"prompt":"<s>[INST] Name three colors please. [/INST]"})");
  EXPECT_EQ(text.family, ModelFamily::MistralText);
  EXPECT_EQ(render(large, text)["outputs"][0]["text"], "Name three colors please.");
  // Other text-only Mistral models still require a prompt.
  EXPECT_EQ(parse_error(mistral_7b(), R"({"messages":[{"role":"user","content":"x"}]})"),
            malformed("2 schema violations found"));
}

// Cohere Command: generations with ids, the prompt echoed, COMPLETE/MAX_TOKENS.
TEST(CohereFamily, CommandParseAndRender) {
  EmulatedRequest r = parse_ok(
      cohere_command(),
      R"({"prompt":")" + kDoc +
          R"(","max_tokens":100,"temperature":0.5,"p":0.75,"k":0,"stop_sequences":[],"num_generations":2})");
  EXPECT_EQ(r.choices, 2);
  json out = render(cohere_command(), r);
  EXPECT_EQ(keys(out), (std::vector<std::string>{"generations", "id", "prompt"}));
  EXPECT_EQ(out["prompt"], kDoc);
  ASSERT_EQ(out["generations"].size(), 2u);
  EXPECT_EQ(out["generations"][0]["text"], kDoc);
  EXPECT_EQ(out["generations"][0]["finish_reason"], "COMPLETE");
  EXPECT_EQ(out["generations"][0]["id"].get<std::string>().size(), 36u);
  EXPECT_NE(out["generations"][0]["id"], out["generations"][1]["id"]);
  EXPECT_EQ(parse_ok(cohere_command(), R"({"prompt":"x"})").max_tokens, 20);
  r.max_tokens = 2;
  EXPECT_EQ(render(cohere_command(), r)["generations"][0]["finish_reason"], "MAX_TOKENS");
}

// Command R: history in, history plus this exchange out, text at the top level.
TEST(CohereFamily, CommandRParseAndRender) {
  EmulatedRequest r = parse_ok(
      cohere_command_r(),
      R"({"message":"Name three colors.","preamble":"You are terse.","chat_history":[{"role":"USER","message":"Hi"},{"role":"CHATBOT","message":"Hello!"}],"max_tokens":128,"temperature":0.3})");
  EXPECT_EQ(r.system_text, "You are terse.");
  ASSERT_EQ(r.turns.size(), 3u);
  EXPECT_EQ(r.turns[2].text, "Name three colors.");
  json out = render(cohere_command_r(), r);
  EXPECT_EQ(keys(out), (std::vector<std::string>{"chat_history", "finish_reason", "generation_id",
                                                 "response_id", "text"}));
  EXPECT_EQ(out["finish_reason"], "COMPLETE");
  ASSERT_EQ(out["chat_history"].size(), 4u);
  EXPECT_EQ(out["chat_history"][2], (json{{"role", "USER"}, {"message", "Name three colors."}}));
  EXPECT_EQ(out["chat_history"][3]["role"], "CHATBOT");
  EXPECT_EQ(out["chat_history"][3]["message"], out["text"]);
}

// Jurassic-2: integer id, echoed prompt, completions[].data.text and finishReason objects.
TEST(Ai21Family, JurassicParseAndRender) {
  EmulatedRequest r =
      parse_ok(jurassic(),
               R"({"prompt":")" + kDoc +
                   R"(","maxTokens":100,"temperature":0.5,"topP":1,"stopSequences":["uphill"]})");
  json out = render(jurassic(), r);
  EXPECT_EQ(keys(out), (std::vector<std::string>{"completions", "id", "prompt"}));
  EXPECT_TRUE(out["id"].is_number_integer());
  EXPECT_EQ(out["prompt"]["text"], kDoc);
  const json& c = out["completions"][0];
  EXPECT_EQ(c["data"]["text"],
            "The river flooded the valley in spring. Farmers moved their herds ");
  EXPECT_EQ(c["finishReason"], (json{{"reason", "stop"}, {"sequence", "uphill"}}));
  r.stop_sequences.clear();
  EXPECT_EQ(render(jurassic(), r)["completions"][0]["finishReason"]["reason"], "endoftext");
  r.max_tokens = 2;
  EXPECT_EQ(render(jurassic(), r)["completions"][0]["finishReason"],
            (json{{"reason", "length"}, {"length", 2}}));
}

// Jamba: chat choices (n of them) and OpenAI-style usage that adds up.
TEST(Ai21Family, JambaParseAndRender) {
  EmulatedRequest r = parse_ok(
      jamba(),
      R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":")" + kDoc +
          R"("}],"n":2,"stop":["valley"]})");
  EXPECT_EQ(r.max_tokens, 4096);
  EXPECT_EQ(r.choices, 2);
  json out = render(jamba(), r);
  EXPECT_EQ(keys(out), (std::vector<std::string>{"choices", "id", "usage"}));
  ASSERT_EQ(out["choices"].size(), 2u);
  EXPECT_EQ(out["choices"][1]["index"], 1);
  EXPECT_EQ(out["choices"][0]["message"]["content"], "The river flooded the ");
  EXPECT_EQ(out["choices"][0]["finish_reason"], "stop");
  const json& usage = out["usage"];
  EXPECT_EQ(usage["prompt_tokens"], r.input_tokens);
  EXPECT_EQ(usage["total_tokens"].get<int>(),
            usage["prompt_tokens"].get<int>() + usage["completion_tokens"].get<int>());
}

// DeepSeek-R1: the answer follows the reasoning and "</think>" inside choices[0].text.
TEST(DeepSeekFamily, ParseAndRender) {
  EmulatedRequest r = parse_ok(
      deepseek(),
      R"({"prompt":"<｜begin▁of▁sentence｜><｜User｜>)" + kDoc +
          R"(<｜Assistant｜><think>\n","max_tokens":512,"temperature":0.5,"top_p":0.9,"stop":["END"]})");
  EXPECT_EQ(r.prompt_text, kDoc);
  EmulatedAnswer a = default_answer(deepseek(), r);
  EXPECT_FALSE(a.reasoning.empty());
  EXPECT_EQ(a.output_tokens, estimate_tokens(a.reasoning) + estimate_tokens(a.text));
  json out = json::parse(render_native_response(deepseek(), r, a));
  EXPECT_EQ(keys(out), std::vector<std::string>{"choices"});
  std::string text = out["choices"][0]["text"];
  EXPECT_EQ(text, a.reasoning + "\n</think>\n\n" + kDoc);
  EXPECT_EQ(out["choices"][0]["stop_reason"], "stop");
}

// gpt-oss: chat.completion object, reasoning in <reasoning> tags, usage that adds up.
TEST(GptOssFamily, ParseAndRender) {
  EmulatedRequest r = parse_ok(
      gpt_oss(),
      R"({"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":")" +
          kDoc +
          R"("}],"max_completion_tokens":300,"temperature":0.7,"top_p":0.9,"stop":"uphill","seed":7,"model":"openai.gpt-oss-20b-1:0"})");
  EXPECT_EQ(r.system_text, "Be brief.");
  EXPECT_EQ(r.max_tokens, 300);
  EXPECT_EQ(r.stop_sequences, std::vector<std::string>{"uphill"});
  EmulatedAnswer a = default_answer(gpt_oss(), r);
  json out = json::parse(render_native_response(gpt_oss(), r, a, {"rid", 1700000000}));
  EXPECT_EQ(keys(out),
            (std::vector<std::string>{"choices", "created", "id", "model", "object", "usage"}));
  EXPECT_EQ(out["object"], "chat.completion");
  EXPECT_EQ(out["created"], 1700000000);
  EXPECT_EQ(out["model"], "openai.gpt-oss-20b-1:0");
  EXPECT_EQ(out["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
  EXPECT_EQ(out["choices"][0]["message"]["content"],
            "<reasoning>" + a.reasoning + "</reasoning>" + a.text);
  EXPECT_EQ(out["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(out["usage"]["completion_tokens"], a.output_tokens);
  EXPECT_EQ(out["usage"]["total_tokens"], a.input_tokens + a.output_tokens);
}

// Stop-reason spellings per family (docs/wire-protocol.md §7) for the three endings.
TEST(NativeStopReason, FamilySpellings) {
  struct Row {
    ModelFamily family;
    std::string end, length, stop;
  };
  const std::vector<Row> rows = {
      {ModelFamily::AnthropicMessages, "end_turn", "max_tokens", "stop_sequence"},
      {ModelFamily::AnthropicText, "stop_sequence", "max_tokens", "stop_sequence"},
      {ModelFamily::TitanText, "FINISHED", "LENGTH", "STOP_CRITERIA_MET"},
      {ModelFamily::Nova, "end_turn", "max_tokens", "stop_sequence"},
      {ModelFamily::Llama3, "stop", "length", "stop"},
      {ModelFamily::MistralText, "stop", "length", "stop"},
      {ModelFamily::CohereCommand, "COMPLETE", "MAX_TOKENS", "COMPLETE"},
      {ModelFamily::Ai21Jurassic, "endoftext", "length", "stop"},
      {ModelFamily::Ai21Jamba, "stop", "length", "stop"},
      {ModelFamily::DeepSeek, "stop", "length", "stop"},
      {ModelFamily::OpenAiGptOss, "stop", "length", "stop"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(native_stop_reason(row.family, StopReason::EndTurn), row.end);
    EXPECT_EQ(native_stop_reason(row.family, StopReason::MaxTokens), row.length);
    EXPECT_EQ(native_stop_reason(row.family, StopReason::StopSequence), row.stop);
  }
}

}  // namespace
}  // namespace bedrock::emulator::model
