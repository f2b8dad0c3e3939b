#include "emulator/fixtures.h"

#include <gtest/gtest.h>

namespace bedrock::emulator {
namespace {

constexpr const char* kFixtures = R"({"fixtures": [
  {"model": "anthropic.claude-3-haiku-20240307-v1:0", "contains": "weather", "response": "Sunny."},
  {"model": "amazon.*", "regex": "^Translate .* to French", "response": "Bonjour."},
  {"contains": "explode", "error": {"type": "ModelErrorException", "message": "boom"}},
  {"model": "meta.llama3-8b-instruct-v1:0", "response": "Always this."}
]})";

// Rules match by model (exact, base id or prefix) and by substring or regex, first wins.
TEST(Fixtures, MatchesByModelAndPrompt) {
  auto f = Fixtures::parse(kFixtures);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->size(), 4u);
  const auto* r = f->match("us.anthropic.claude-3-haiku-20240307-v1:0",
                           "anthropic.claude-3-haiku-20240307-v1:0", "What is the weather?");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->response, "Sunny.");
  EXPECT_EQ(f->match("anthropic.claude-3-haiku-20240307-v1:0",
                     "anthropic.claude-3-haiku-20240307-v1:0", "no match here"),
            nullptr);
  r = f->match("amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", "Translate hello to French");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->response, "Bonjour.");
  EXPECT_EQ(f->match("amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", "Please Translate x"),
            nullptr);
  r = f->match("any", "any", "this will explode");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->error_type, "ModelErrorException");
  EXPECT_EQ(r->error_message, "boom");
  r = f->match("meta.llama3-8b-instruct-v1:0", "meta.llama3-8b-instruct-v1:0", "anything");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->response, "Always this.");
}

// A rule may ask for a tool call by name, with or without an input, instead of a response.
TEST(Fixtures, ToolRules) {
  auto f = Fixtures::parse(R"([{"contains": "weather", "tool": "get_weather"},
      {"contains": "forecast", "tool": {"name": "get_forecast", "input": {"days": 3}},
       "response": "Mild."}])");
  ASSERT_TRUE(f) << f.error().message;
  const auto* r = f->match("m", "m", "the weather");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->tool_name, "get_weather");
  EXPECT_EQ(r->tool_input, "");
  r = f->match("m", "m", "a forecast");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->tool_name, "get_forecast");
  EXPECT_EQ(r->tool_input, R"({"days":3})");
  EXPECT_EQ(r->response, "Mild.");
}

// Malformed files fail with a message naming the rule.
TEST(Fixtures, RejectsMalformed) {
  for (const char* bad :
       {"not json", R"({"rules": []})", R"([{"contains": "x"}])",
        R"([{"regex": "(", "response": "x"}])", R"([{"error": {"type": "NoSuchException"}}])",
        R"([{"contains": 5, "response": "x"}])", R"([{"tool": 5}])", R"([{"tool": {}}])",
        R"([{"tool": {"name": "t", "input": [1]}}])"}) {
    auto f = Fixtures::parse(bad);
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error().code, ErrorCode::ConfigurationInvalid);
  }
  EXPECT_FALSE(Fixtures::load("/nonexistent/fixtures.json"));
}

}  // namespace
}  // namespace bedrock::emulator
