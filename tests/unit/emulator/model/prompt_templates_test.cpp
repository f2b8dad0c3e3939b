#include "emulator/model/prompt_templates.h"

#include <gtest/gtest.h>

namespace bedrock::emulator::model::detail {
namespace {

struct Expected {
  std::string system;
  std::vector<std::pair<Role, std::string>> turns;
};

void expect(const Conversation& c, const Expected& e, const std::string& name) {
  EXPECT_EQ(c.system, e.system) << name;
  ASSERT_EQ(c.turns.size(), e.turns.size()) << name;
  for (std::size_t i = 0; i < e.turns.size(); ++i) {
    EXPECT_EQ(c.turns[i].role, e.turns[i].first) << name << " turn " << i;
    EXPECT_EQ(c.turns[i].text, e.turns[i].second) << name << " turn " << i;
  }
}

constexpr Role U = Role::User;
constexpr Role A = Role::Assistant;

// Multi-turn templates of each prompt-string family come apart into turns.
TEST(PromptTemplates, RecoverTurns) {
  expect(parse_inst_prompt("<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nHi [/INST] Hello </s>"
                           "<s>[INST] More? [/INST]"),
         {"Be kind.", {{U, "Hi"}, {A, "Hello"}, {U, "More?"}}}, "llama2");
  expect(parse_inst_prompt("<s>[INST] u1 [/INST] a1</s> [INST] u2 [/INST]"),
         {"", {{U, "u1"}, {A, "a1"}, {U, "u2"}}}, "mistral");
  expect(parse_llama3_prompt("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS"
                             "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nQ1<|eot_id|>"
                             "<|start_header_id|>assistant<|end_header_id|>\n\nA1<|eot_id|>"
                             "<|start_header_id|>user<|end_header_id|>\n\nQ2<|eot_id|>"
                             "<|start_header_id|>assistant<|end_header_id|>\n\n"),
         {"S", {{U, "Q1"}, {A, "A1"}, {U, "Q2"}}}, "llama3");
  expect(parse_human_assistant_prompt("Sys text\n\nHuman: Q1\n\nAssistant: A1\n\nHuman: Q2"
                                      "\n\nAssistant:"),
         {"Sys text", {{U, "Q1"}, {A, "A1"}, {U, "Q2"}}}, "claude text");
  expect(parse_user_bot_prompt("Be kind.\n\nUser: Q1\nBot: A1\nUser: Q2\nBot:"),
         {"Be kind.", {{U, "Q1"}, {A, "A1"}, {U, "Q2"}}}, "titan");
  expect(parse_user_bot_prompt("S\n\nUser: Q1\nChatbot: A1\nUser: Q2\nChatbot:", "Chatbot"),
         {"S", {{U, "Q1"}, {A, "A1"}, {U, "Q2"}}}, "cohere transcript");
  expect(
      parse_deepseek_prompt("<｜begin▁of▁sentence｜>Sys<｜User｜>Q1<｜Assistant｜><think>r"
                            "</think>A1<｜end▁of▁sentence｜><｜User｜>Q2<｜Assistant｜><think>\n"),
      {"Sys", {{U, "Q1"}, {A, "A1"}, {U, "Q2"}}}, "deepseek");
}

// Text without markers is one user turn, whatever the family.
TEST(PromptTemplates, PlainTextIsOneUserTurn) {
  auto titan = [](std::string_view p) { return parse_user_bot_prompt(p); };
  for (Conversation (*parse)(std::string_view) :
       {+parse_inst_prompt, +parse_llama3_prompt, +parse_human_assistant_prompt,
        +static_cast<Conversation (*)(std::string_view)>(titan), +parse_deepseek_prompt}) {
    expect(parse("  Name three colors.\n"), {"", {{U, "Name three colors."}}}, "plain");
  }
  expect(parse_llama3_prompt("<|begin_of_text|>Just text<|eot_id|>"), {"", {{U, "Just text"}}},
         "llama3 without headers");
}

}  // namespace
}  // namespace bedrock::emulator::model::detail
