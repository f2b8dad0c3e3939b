// The simdjson reader of the common chat request (chat_request_fast.h) against the DOM path it
// stands in for: whatever it reads, parse_chat_request reads to the same call; everything else it
// leaves to the DOM path, which owns the errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "bedrock/models/registry.h"
#include "server/openai/chat_request.h"
#include "server/openai/chat_request_fast.h"

namespace bedrock::server::openai {
namespace {

ModelTarget haiku_target() {
  const auto* info =
      models::ModelRegistry::builtin().find("anthropic.claude-3-haiku-20240307-v1:0");
  return {"anthropic.claude-3-haiku-20240307-v1:0", info ? *info : models::ModelInfo{}};
}

// The DOM path on `text`: nullopt when it refuses the body.
std::optional<ChatCall> dom_call(const std::string& text) {
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  auto call = parse_chat_request(body, haiku_target());
  if (!call) return std::nullopt;
  return std::move(*call);
}

void expect_same(const ChatCall& fast, const ChatCall& dom, const std::string& text) {
  EXPECT_EQ(fast.model, dom.model) << text;
  EXPECT_EQ(fast.stream, dom.stream) << text;
  EXPECT_EQ(fast.include_usage, dom.include_usage) << text;
  EXPECT_EQ(fast.structured, dom.structured) << text;
  EXPECT_TRUE(fast.invoke.use_converse) << text;
  const models::Prompt& a = fast.invoke.prompt;
  const models::Prompt& b = dom.invoke.prompt;
  EXPECT_EQ(a.system, b.system) << text;
  ASSERT_EQ(a.messages.size(), b.messages.size()) << text;
  for (std::size_t i = 0; i < a.messages.size(); ++i) {
    EXPECT_EQ(a.messages[i].role, b.messages[i].role) << text;
    EXPECT_EQ(a.messages[i].text, b.messages[i].text) << text;
    EXPECT_TRUE(b.messages[i].tool_uses.empty() && b.messages[i].tool_results.empty() &&
                b.messages[i].images.empty() && b.messages[i].documents.empty() &&
                b.messages[i].reasoning.empty())
        << text;
  }
  EXPECT_TRUE(b.tools.tools.empty() && b.tools.choice == models::ToolChoice::Unset) << text;
  EXPECT_FALSE(b.output_schema.has_value()) << text;
  const models::InferenceParams& p = fast.invoke.params;
  const models::InferenceParams& q = dom.invoke.params;
  EXPECT_EQ(p.max_tokens, q.max_tokens) << text;
  EXPECT_EQ(p.temperature, q.temperature) << text;
  EXPECT_EQ(p.top_p, q.top_p) << text;
  EXPECT_EQ(p.top_k, q.top_k) << text;
  EXPECT_EQ(p.stop_sequences, q.stop_sequences) << text;
  EXPECT_EQ(p.reasoning_budget_tokens, q.reasoning_budget_tokens) << text;
}

void expect_read_like_dom(const std::string& text) {
  auto fast = parse_chat_request_fast(text);
  ASSERT_TRUE(fast.has_value()) << "the fast reader declined: " << text;
  auto dom = dom_call(text);
  ASSERT_TRUE(dom.has_value()) << "the DOM path refuses what the fast reader took: " << text;
  expect_same(*fast, *dom, text);
}

TEST(OpenAiChatRequestFast, CommonShapesReadAsTheDomPathReadsThem) {
  const std::vector<std::string> bodies = {
      R"({"model": "anthropic.claude-3-haiku-20240307-v1:0", "max_tokens": 64, "messages": [{"role": "user", "content": "The sky is blue. Grass is green."}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"Hi"}]})",
      R"({"messages":[{"role":"user","content":"Hi"}],"model":"haiku"})",
      R"({"model":"haiku","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"In French."}]},{"role":"user","content":"One"},{"role":"user","content":[{"type":"text","text":"Two"},{"type":"text","text":"Three"}]},{"role":"assistant","content":"Un"},{"role":"user","content":"Four"}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":""},{"role":"user","content":"b"},{"role":"system","content":""},{"role":"system","content":"s"}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"},{"role":"assistant","content":null},{"role":"assistant"},{"role":"user","content":[]}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q","name":"alice"}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"\u00e9\ud83d\ude00 \"q\" \\ \n\t\u0000 \u2028"}]})",
      "{\"model\":\"haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\xC3\xA9 "
      "\xF0\x9F\x98\x80\"}]}",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_completion_tokens":10,"max_tokens":"ignored"})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_completion_tokens":null,"max_tokens":1000000})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_tokens":1})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"temperature":0,"top_p":1})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"temperature":0.7,"top_p":0.30000000000000004})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"temperature":1e-3,"top_p":5E-1})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"temperature":-0.0,"top_p":null})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stop":"END"})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stop":["a","b","c","d"]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stop":[]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stop":null})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stream":true})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stream":true,"stream_options":{"include_usage":true}})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stream":true,"stream_options":{"include_usage":"yes","other":1}})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stream":false,"stream_options":{"include_usage":true}})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stream_options":[1,2],"stream":null})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"n":1,"user":"u-1","seed":7,"store":false,"service_tier":null})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"n":null,"parallel_tool_calls":true,"safety_identifier":"x"})",
      " \r\n\t{\"model\":\"haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]} \n",
  };
  for (const auto& text : bodies) expect_read_like_dom(text);
}

// Each of these is either refused by the DOM path (which must give its error) or a shape the
// fast reader leaves to it.
TEST(OpenAiChatRequestFast, LeavesEverythingElseToTheDomPath) {
  const std::vector<std::string> bodies = {
      "",
      "null",
      "[]",
      "not json",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}]} trailing)",
      R"({"model":"haiku"})",
      R"({"messages":[{"role":"user","content":"q"}]})",
      R"({"model":"","messages":[{"role":"user","content":"q"}]})",
      R"({"model":7,"messages":[{"role":"user","content":"q"}]})",
      R"({"model":"haiku","messages":[]})",
      R"({"model":"haiku","messages":{}})",
      R"({"model":"haiku","messages":[{"role":"tool","tool_call_id":"t","content":"r"}]})",
      R"({"model":"haiku","messages":[{"role":"robot","content":"q"}]})",
      R"({"model":"haiku","messages":[{"content":"q"}]})",
      R"({"model":"haiku","messages":[{"role":"user"}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":null}]})",
      R"({"model":"haiku","messages":[{"role":"system","content":null}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":7}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":[{"type":"refusal","refusal":"no"}]}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":[{"type":"text"}]}]})",
      R"({"model":"haiku","messages":[{"role":"assistant","content":"a","tool_calls":[]}]})",
      R"({"model":"haiku","messages":[{"role":"user","role":"user","content":"q"}]})",
      R"({"model":"haiku","model":"haiku","messages":[{"role":"user","content":"q"}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_tokens":64.0})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_tokens":0})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_tokens":1000001})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_tokens":"64"})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"max_tokens":18446744073709551615})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"temperature":1.5})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"temperature":"0.5"})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"top_p":-0.1})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stop":["a","b","c","d","e"]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stop":[1]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"stream":"yes"})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"n":2})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"tools":[]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"response_format":{"type":"text"}})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"reasoning_effort":"low"})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"logprobs":false})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"metadata":{"a":"b"}})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"seed":0.5})",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"frobnicate":1})",
      R"({"model":"haiku","messages":[{"role":"user","content":"\udc00"}]})",
      R"({"model":"haiku","messages":[{"role":"user","content":"\ud800"}]})",
      "{\"model\":\"haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"\x01\"}]}",
      "{\"model\":\"haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"\xC3\"}]}",
      "\xEF\xBB\xBF{\"model\":\"haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}",
      R"({"model":"haiku","messages":[{"role":"user","content":"q"}],"seed":1e400})",
  };
  for (const auto& text : bodies) {
    EXPECT_FALSE(parse_chat_request_fast(text).has_value()) << text;
  }
}

TEST(OpenAiChatRequestFast, LargeBodiesGoTheDomWay) {
  const std::string text = R"({"model":"haiku","messages":[{"role":"user","content":")" +
                           std::string(kFastChatMaxBytes, 'x') + R"("}]})";
  EXPECT_FALSE(parse_chat_request_fast(text).has_value());
  EXPECT_TRUE(dom_call(text).has_value());
}

// Random bodies near the common shape, many of them wrong in one member: whatever the fast
// reader takes, the DOM path takes to the same call.
TEST(OpenAiChatRequestFast, RandomBodiesNeverDisagreeWithTheDomPath) {
  std::mt19937 rng(14);
  const std::vector<std::string> values = {
      "null",
      "true",
      "false",
      "0",
      "1",
      "-1",
      "2",
      "64",
      "64.0",
      "0.5",
      "1e0",
      "-0",
      "1000001",
      R"("")",
      R"("x")",
      R"("\u00e9\n")",
      "[]",
      "{}",
      R"(["a"])",
      R"(["a","b","c","d","e"])",
      R"({"include_usage":true})",
      R"({"include_usage":false,"include_usage":true})",
      R"([{"role":"user","content":"q"}])",
      R"([{"role":"system","content":"s"},{"role":"user","content":[{"type":"text","text":"q"}]}])",
      R"([{"role":"assistant","content":null},{"role":"user","content":"q","name":"n"}])",
      R"([{"role":"user","content":[{"type":"text","text":"a"},{"text":"b","type":"text"}]}])",
      R"([{"role":"user","content":[{"type":"text","text":"a","extra":1}]}])"};
  const std::vector<std::string> keys = {
      "model",          "messages", "max_tokens", "max_completion_tokens",
      "temperature",    "top_p",    "stop",       "stream",
      "stream_options", "n",        "user",       "seed",
      "metadata",       "tools",    "logprobs",   "x"};
  int accepted = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text = R"({"model":"haiku","messages":[{"role":"user","content":"q"}])";
    for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
      text += ",\"" + keys[rng() % keys.size()] + "\":" + values[rng() % values.size()];
    }
    text += "}";
    auto fast = parse_chat_request_fast(text);
    if (!fast) continue;
    ++accepted;
    auto dom = dom_call(text);
    ASSERT_TRUE(dom.has_value()) << text;
    expect_same(*fast, *dom, text);
  }
  EXPECT_GT(accepted, 500);
}

}  // namespace
}  // namespace bedrock::server::openai
