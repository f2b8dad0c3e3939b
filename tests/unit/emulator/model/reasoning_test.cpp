// Claude extended thinking in the emulator: the budget checked with the wording Bedrock
// relays, a signed reasoning block before the text (streamed as text deltas then a signature
// delta), and reasoning sent back checked against its signature.
#include "emulator/model/reasoning.h"

#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "fakes/event_stream_reader.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

std::string thinking_body(int budget, int max_tokens, const json& extra_messages = json::array()) {
  json body = json::parse(
      R"({"messages":[{"role":"user","content":[{"text":"Why is the sky blue? Explain."}]}]})");
  for (const auto& m : extra_messages) body["messages"].push_back(m);
  body["inferenceConfig"]["maxTokens"] = max_tokens;
  body["additionalModelRequestFields"]["thinking"] = {{"type", "enabled"},
                                                      {"budget_tokens", budget}};
  return body.dump();
}

std::string reasoning_error(const ModelInfo& m, const std::string& body) {
  auto r = parse_converse_request(m, body);
  if (r) return "";
  EXPECT_EQ(r.error().http_status, 400);
  return r.error().message;
}

// Thinking on: a reasoningContent block with text and signature comes first, then the text;
// the stream carries the same reasoning in text deltas followed by one signature delta.
TEST(ConverseReasoning, SignedReasoningBlockBeforeTheText) {
  auto request = parse_converse_request(claude_sonnet_4(), thinking_body(2048, 4096));
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_TRUE(request->thinking);
  auto answer = default_answer(claude_sonnet_4(), *request);
  ASSERT_FALSE(answer.reasoning.empty());
  EXPECT_EQ(answer.reasoning_signature, detail::reasoning_signature(answer.reasoning));
  EXPECT_NE(detail::reasoning_signature(answer.reasoning + "x"), answer.reasoning_signature);
  json r = json::parse(render_converse_response(*request, answer, 5));
  const json& content = r["output"]["message"]["content"];
  ASSERT_EQ(content.size(), 2u) << r.dump();
  EXPECT_EQ(content[0]["reasoningContent"]["reasoningText"]["text"], answer.reasoning);
  EXPECT_EQ(content[0]["reasoningContent"]["reasoningText"]["signature"],
            answer.reasoning_signature);
  EXPECT_EQ(content[1]["text"], answer.text);

  auto read = bedrock::testing::read_event_stream(render_converse_stream(*request, answer, 5));
  ASSERT_EQ(read.problem, "");
  std::string reasoning, signature;
  bool signature_last = false;
  for (const auto& m : read.messages) {
    if (m.headers.at(":event-type") != "contentBlockDelta") continue;
    json p = json::parse(m.payload);
    if (p["contentBlockIndex"] != 0) continue;
    const json& d = p["delta"]["reasoningContent"];
    EXPECT_TRUE(signature.empty()) << "a delta after the signature";
    if (d.contains("text")) reasoning += d["text"].get<std::string>();
    if (d.contains("signature")) signature = d["signature"].get<std::string>();
    signature_last = d.contains("signature");
  }
  EXPECT_EQ(reasoning, answer.reasoning);
  EXPECT_EQ(signature, answer.reasoning_signature);
  EXPECT_TRUE(signature_last);
}

// The reasoning block sent back unchanged is accepted; altered text or signature, or no
// signature, is refused with Anthropic's wording; redactedContent passes unchecked.
TEST(ConverseReasoning, SignatureCheckedWhenSentBack) {
  auto request = parse_converse_request(claude_sonnet_4(), thinking_body(2048, 4096));
  ASSERT_TRUE(request);
  auto answer = default_answer(claude_sonnet_4(), *request);
  json assistant = json::parse(render_converse_response(*request, answer, 5))["output"]["message"];
  json next = json::parse(R"({"role":"user","content":[{"text":"And at sunset?"}]})");
  EXPECT_EQ(reasoning_error(claude_sonnet_4(), thinking_body(2048, 4096, {assistant, next})), "");

  json altered = assistant;
  altered["content"][0]["reasoningContent"]["reasoningText"]["text"] = "I was told to say yes.";
  EXPECT_EQ(reasoning_error(claude_sonnet_4(), thinking_body(2048, 4096, {altered, next})),
            "The model returned the following errors: messages.1.content.0: Invalid `signature` "
            "in `thinking` block");
  json forged = assistant;
  forged["content"][0]["reasoningContent"]["reasoningText"]["signature"] = "AAAA";
  EXPECT_NE(reasoning_error(claude_sonnet_4(), thinking_body(2048, 4096, {forged, next})), "");
  json unsigned_block = assistant;
  unsigned_block["content"][0]["reasoningContent"]["reasoningText"].erase("signature");
  EXPECT_EQ(reasoning_error(claude_sonnet_4(), thinking_body(2048, 4096, {unsigned_block, next})),
            "The model returned the following errors: "
            "messages.1.content.0.thinking.signature: Field required");
  json redacted = assistant;
  redacted["content"][0]["reasoningContent"] = {{"redactedContent", "c2VjcmV0"}};
  EXPECT_EQ(reasoning_error(claude_sonnet_4(), thinking_body(2048, 4096, {redacted, next})), "");
}

// budget_tokens at least 1024 and below maxTokens; Claude models without extended thinking
// refuse the key; others are not Claude's business.
TEST(ConverseReasoning, BudgetRulesAsBedrock) {
  EXPECT_EQ(reasoning_error(claude_sonnet_4(), thinking_body(1000, 4096)),
            "The model returned the following errors: thinking.enabled.budget_tokens: Input "
            "should be greater than or equal to 1024");
  EXPECT_EQ(reasoning_error(claude_sonnet_4(), thinking_body(4096, 4096)),
            "The model returned the following errors: `max_tokens` must be greater than "
            "`thinking.budget_tokens`. Please consult our documentation at "
            "https://docs.claude.com/en/docs/build-with-claude/"
            "extended-thinking#max-tokens-and-context-window-size");
  EXPECT_EQ(reasoning_error(claude_sonnet_4(), thinking_body(1024, 1025)), "");
  EXPECT_EQ(reasoning_error(claude_haiku(), thinking_body(2048, 4096)),
            "Malformed input request: #: extraneous key [thinking] is not permitted, please "
            "reformat your input and try again.");
  // Thinking off: no reasoning block.
  json off = json::parse(thinking_body(2048, 4096));
  off["additionalModelRequestFields"]["thinking"] = {{"type", "disabled"}};
  auto request = parse_converse_request(claude_sonnet_4(), off.dump());
  ASSERT_TRUE(request);
  EXPECT_TRUE(default_answer(claude_sonnet_4(), *request).reasoning.empty());
}

}  // namespace
}  // namespace bedrock::emulator::model
