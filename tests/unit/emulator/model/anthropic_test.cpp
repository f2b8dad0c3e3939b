#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using testing::claude_haiku;
using testing::claude_v2;
using testing::malformed;
using testing::parse_error;
using testing::parse_ok;

const std::string kReferenceRequest = R"({"anthropic_version":"bedrock-2023-05-31",
  "max_tokens":256,"system":"You are terse.",
  "messages":[{"role":"user","content":[{"type":"text","text":"Summarize: The cat sat."}]}],
  "temperature":0.5,"top_p":0.9,"top_k":250,"stop_sequences":["\n\nHuman:"]})";

// The §7.1 example parses into the fields the emulator answers from.
TEST(AnthropicMessagesParse, ReferenceExample) {
  EmulatedRequest r = parse_ok(claude_haiku(), kReferenceRequest);
  EXPECT_EQ(r.family, ModelFamily::AnthropicMessages);
  EXPECT_EQ(r.model_id, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(r.system_text, "You are terse.");
  ASSERT_EQ(r.turns.size(), 1u);
  EXPECT_EQ(r.turns[0].role, Role::User);
  EXPECT_EQ(r.prompt_text, "Summarize: The cat sat.");
  EXPECT_EQ(r.max_tokens, 256);
  EXPECT_TRUE(r.max_tokens_given);
  EXPECT_EQ(r.stop_sequences, std::vector<std::string>{"\n\nHuman:"});
  EXPECT_DOUBLE_EQ(r.temperature.value(), 0.5);
  EXPECT_DOUBLE_EQ(r.top_p.value(), 0.9);
  EXPECT_EQ(r.top_k.value(), 250);
  EXPECT_EQ(r.input_tokens,
            estimate_tokens("You are terse.") + estimate_tokens("Summarize: The cat sat."));
}

// String content, multi-turn conversations and a system given as text blocks are accepted.
TEST(AnthropicMessagesParse, StringContentAndSystemBlocks) {
  EmulatedRequest r = parse_ok(claude_haiku(), R"({"anthropic_version":"bedrock-2023-05-31",
    "max_tokens":10,"system":[{"type":"text","text":"Be kind."}],
    "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},
                {"role":"user","content":"Tell me more."}]})");
  EXPECT_EQ(r.system_text, "Be kind.");
  ASSERT_EQ(r.turns.size(), 3u);
  EXPECT_EQ(r.turns[1].role, Role::Assistant);
  EXPECT_EQ(r.prompt_text, "Hi\n\nHello!\n\nTell me more.");
}

struct AnthropicErrorCase {
  const char* name;
  std::string body;
  std::string message;
};

std::string claude(const std::string& members) {
  return R"({"anthropic_version":"bedrock-2023-05-31",)" + members + "}";
}
const std::string kMsgs = R"("messages":[{"role":"user","content":"Hi"}])";

// Each schema or model rule yields Bedrock's message naming the offending field.
TEST(AnthropicMessagesParse, RejectsWhatBedrockRejects) {
  const std::vector<AnthropicErrorCase> cases = {
      {"missing max_tokens", claude(kMsgs), malformed("#: required key [max_tokens] not found")},
      {"missing version", R"({"max_tokens":5,)" + kMsgs + "}",
       malformed("#: required key [anthropic_version] not found")},
      {"missing messages", claude(R"("max_tokens":5)"),
       malformed("#: required key [messages] not found")},
      {"extraneous model", claude(R"("max_tokens":5,"model":"x",)" + kMsgs),
       malformed("#: extraneous key [model] is not permitted")},
      {"max_tokens string", claude(R"("max_tokens":"5",)" + kMsgs),
       malformed("#/max_tokens: expected type: Integer, found: String")},
      {"max_tokens float", claude(R"("max_tokens":5.5,)" + kMsgs),
       malformed("#/max_tokens: expected type: Integer, found: BigDecimal")},
      {"max_tokens zero", claude(R"("max_tokens":0,)" + kMsgs),
       malformed("#/max_tokens: 0 is not greater or equal to 1")},
      {"temperature high", claude(R"("max_tokens":5,"temperature":1.5,)" + kMsgs),
       malformed("#/temperature: 1.5 is not less or equal to 1")},
      {"temperature low", claude(R"("max_tokens":5,"temperature":-0.1,)" + kMsgs),
       malformed("#/temperature: -0.1 is not greater or equal to 0")},
      {"top_p type", claude(R"("max_tokens":5,"top_p":"high",)" + kMsgs),
       malformed("#/top_p: expected type: Number, found: String")},
      {"top_k high", claude(R"("max_tokens":5,"top_k":501,)" + kMsgs),
       malformed("#/top_k: 501 is not less or equal to 500")},
      {"bad version", R"({"anthropic_version":"bedrock-2023-05-30","max_tokens":5,)" + kMsgs + "}",
       malformed("#/anthropic_version: bedrock-2023-05-30 is not a valid enum value")},
      {"bad role", claude(R"("max_tokens":5,"messages":[{"role":"system","content":"x"}])"),
       malformed("#/messages/0/role: system is not a valid enum value")},
      {"no content", claude(R"("max_tokens":5,"messages":[{"role":"user"}])"),
       malformed("#/messages/0: required key [content] not found")},
      {"stop not strings", claude(R"("max_tokens":5,"stop_sequences":[1],)" + kMsgs),
       malformed("#/stop_sequences/0: expected type: String, found: Integer")},
      {"two violations", claude(R"("max_tokens":"5","temperature":9,)" + kMsgs),
       malformed("2 schema violations found")},
      {"max_tokens above model", claude(R"("max_tokens":5000,)" + kMsgs),
       "max_tokens: 5000 > 4096, which is the maximum allowed number of output tokens for "
       "claude-3-haiku-20240307"},
      {"assistant first",
       claude(R"("max_tokens":5,"messages":[{"role":"assistant","content":"Hi"}])"),
       "messages: first message must use the \"user\" role"},
      {"no alternation",
       claude(
           R"("max_tokens":5,"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}])"),
       "messages: roles must alternate between \"user\" and \"assistant\", but found multiple "
       "\"user\" roles in a row"},
      {"empty messages", claude(R"("max_tokens":5,"messages":[])"),
       "messages: at least one message is required"},
      {"empty text block",
       claude(
           R"("max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":""}]}])"),
       "messages: text content blocks must be non-empty"},
      {"not an object", "[1,2]", malformed("#: expected type: JSONObject, found: JSONArray")},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse_error(claude_haiku(), c.body), c.message) << c.name;
  }
}

// Unparsable JSON is a Validation error in Bedrock's "Malformed input request" style.
TEST(AnthropicMessagesParse, RejectsInvalidJson) {
  std::string message = parse_error(claude_haiku(), "{\"max_tokens\": ");
  EXPECT_EQ(message.rfind("Malformed input request: ", 0), 0u) << message;
}

// The rendered body has exactly the documented members, spellings and usage counts.
TEST(AnthropicMessagesRender, DocumentedShape) {
  EmulatedRequest r = parse_ok(claude_haiku(), kReferenceRequest);
  EmulatedAnswer a = default_answer(claude_haiku(), r);
  json out = json::parse(render_native_response(claude_haiku(), r, a));
  std::vector<std::string> keys;
  for (const auto& [k, v] : out.items()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"content", "id", "model", "role", "stop_reason",
                                            "stop_sequence", "type", "usage"}));
  EXPECT_EQ(out["id"].get<std::string>().rfind("msg_bdrk_01", 0), 0u);
  EXPECT_EQ(out["id"].get<std::string>().size(), 33u);
  EXPECT_EQ(out["type"], "message");
  EXPECT_EQ(out["role"], "assistant");
  EXPECT_EQ(out["model"], "claude-3-haiku-20240307");
  ASSERT_EQ(out["content"].size(), 1u);
  EXPECT_EQ(out["content"][0]["type"], "text");
  EXPECT_EQ(out["content"][0]["text"], a.text);
  EXPECT_EQ(out["stop_reason"], "end_turn");
  EXPECT_TRUE(out["stop_sequence"].is_null());
  EXPECT_EQ(out["usage"]["input_tokens"], r.input_tokens);
  EXPECT_EQ(out["usage"]["output_tokens"], estimate_tokens(a.text));
}

// max_tokens and stop-sequence endings use Anthropic's spellings and name the sequence.
TEST(AnthropicMessagesRender, StopReasons) {
  EmulatedRequest r = parse_ok(claude_haiku(), claude(R"("max_tokens":3,"stop_sequences":["sat"],)"
                                                      R"("messages":[{"role":"user","content":)"
                                                      R"("The cat sat on the mat today."}])"));
  EmulatedAnswer a = default_answer(claude_haiku(), r);
  json out = json::parse(render_native_response(claude_haiku(), r, a));
  EXPECT_EQ(out["stop_reason"], "stop_sequence");
  EXPECT_EQ(out["stop_sequence"], "sat");
  EXPECT_EQ(out["content"][0]["text"], "The cat ");  // output up to the sequence, exclusive

  r.stop_sequences.clear();
  r.max_tokens = 2;
  a = default_answer(claude_haiku(), r);
  out = json::parse(render_native_response(claude_haiku(), r, a));
  EXPECT_EQ(out["stop_reason"], "max_tokens");
  EXPECT_TRUE(out["stop_sequence"].is_null());
  EXPECT_LE(out["usage"]["output_tokens"].get<int>(), 2);
}

// Same request, same bytes; a request id changes only the message id.
TEST(AnthropicMessagesRender, Deterministic) {
  EmulatedRequest r = parse_ok(claude_haiku(), kReferenceRequest);
  EmulatedAnswer a = default_answer(claude_haiku(), r);
  std::string first = render_native_response(claude_haiku(), r, a);
  EXPECT_EQ(first,
            render_native_response(claude_haiku(), parse_ok(claude_haiku(), kReferenceRequest),
                                   default_answer(claude_haiku(), r)));
  json with_id = json::parse(render_native_response(claude_haiku(), r, a, {"req-1", 0}));
  json without = json::parse(first);
  EXPECT_NE(with_id["id"], without["id"]);
  with_id.erase("id");
  without.erase("id");
  EXPECT_EQ(with_id, without);
}

TEST(AnthropicModelName, StripsProviderAndVersion) {
  EXPECT_EQ(anthropic_model_name("anthropic.claude-3-haiku-20240307-v1:0"),
            "claude-3-haiku-20240307");
  EXPECT_EQ(anthropic_model_name("us.anthropic.claude-3-5-sonnet-20241022-v2:0"),
            "claude-3-5-sonnet-20241022");
  EXPECT_EQ(anthropic_model_name("anthropic.claude-v2:1"), "claude-v2:1");
  EXPECT_EQ(
      anthropic_model_name(
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"),
      "claude-3-haiku-20240307");
}

// The §7.2 legacy example parses; the Human/Assistant template is removed from the turns.
TEST(AnthropicTextParse, ReferenceExample) {
  EmulatedRequest r = parse_ok(claude_v2(), R"({"prompt":"\n\nHuman: What is 2+2?\n\nAssistant:",
    "max_tokens_to_sample":100,"temperature":0.5,"stop_sequences":["\n\nHuman:"]})");
  ASSERT_EQ(r.turns.size(), 1u);
  EXPECT_EQ(r.prompt_text, "What is 2+2?");
  EXPECT_EQ(r.max_tokens, 100);
  EXPECT_EQ(r.stop_sequences, std::vector<std::string>{"\n\nHuman:"});
  EXPECT_EQ(r.native_prompt, "\n\nHuman: What is 2+2?\n\nAssistant:");
  EXPECT_EQ(r.input_tokens, estimate_tokens(r.native_prompt));
}

TEST(AnthropicTextParse, RejectsWhatBedrockRejects) {
  const std::vector<AnthropicErrorCase> cases = {
      {"missing max", R"({"prompt":"\n\nHuman: Hi\n\nAssistant:"})",
       malformed("#: required key [max_tokens_to_sample] not found")},
      {"missing prompt", R"({"max_tokens_to_sample":5})",
       malformed("#: required key [prompt] not found")},
      {"above limit", R"({"prompt":"\n\nHuman: Hi\n\nAssistant:","max_tokens_to_sample":5000})",
       malformed("#/max_tokens_to_sample: 5000 is not less or equal to 4096")},
      {"no human turn", R"({"prompt":"Hi","max_tokens_to_sample":5})",
       "prompt must start with \"\\n\\nHuman:\" turn after an optional system prompt"},
      {"no assistant turn", R"({"prompt":"\n\nHuman: Hi","max_tokens_to_sample":5})",
       "prompt must end with \"\\n\\nAssistant:\" turn"},
      {"temperature",
       R"({"prompt":"\n\nHuman: Hi\n\nAssistant:","max_tokens_to_sample":5,"temperature":2})",
       malformed("#/temperature: 2 is not less or equal to 1")},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_error(claude_v2(), c.body), c.message) << c.name;
}

// A natural end is the default "\n\nHuman:" stop; max tokens has no stop string.
TEST(AnthropicTextRender, DocumentedShape) {
  EmulatedRequest r = parse_ok(
      claude_v2(),
      R"({"prompt":"\n\nHuman: Tell me about the sea. It is large and deep.\n\nAssistant:","max_tokens_to_sample":100})");
  EmulatedAnswer a = default_answer(claude_v2(), r);
  json out = json::parse(render_native_response(claude_v2(), r, a));
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(out["completion"], a.text);
  EXPECT_EQ(out["stop_reason"], "stop_sequence");
  EXPECT_EQ(out["stop"], "\n\nHuman:");

  r.max_tokens = 2;
  a = default_answer(claude_v2(), r);
  out = json::parse(render_native_response(claude_v2(), r, a));
  EXPECT_EQ(out["stop_reason"], "max_tokens");
  EXPECT_TRUE(out["stop"].is_null());
}

}  // namespace
}  // namespace bedrock::emulator::model
