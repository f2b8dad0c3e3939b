#include "bedrock/content/prompt_template.h"

#include <gtest/gtest.h>

#include "bedrock/content/content_config.h"

namespace bedrock::content {
namespace {

// Placeholders are substituted, spaces inside braces ignored, missing values render empty.
TEST(PromptTemplate, RendersPlaceholders) {
  auto t = PromptTemplate::parse("Hi {{name}}, {{ n }} items{{missing}}.", {"name", "n", "missing"},
                                 "test");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->render({{"name", "Ann"}, {"n", "3"}}), "Hi Ann, 3 items.");
  EXPECT_EQ(t->placeholders(), (std::vector<std::string>{"name", "n", "missing"}));
}

// Unknown placeholders fail with ConfigurationInvalid naming the origin and the allowed names.
TEST(PromptTemplate, RejectsUnknownPlaceholder) {
  auto t = PromptTemplate::parse("Sum {{txt}}", {"text", "paragraphs"}, "my.toml: summarize.user");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(t.error().message.find("my.toml: summarize.user"), std::string::npos);
  EXPECT_NE(t.error().message.find("{{txt}}"), std::string::npos);
  EXPECT_NE(t.error().message.find("text, paragraphs"), std::string::npos);
}

// Unclosed and empty placeholders are errors too; text without braces is literal.
TEST(PromptTemplate, RejectsMalformedBraces) {
  EXPECT_FALSE(PromptTemplate::parse("a {{text", {"text"}, "o"));
  EXPECT_FALSE(PromptTemplate::parse("a {{ }} b", {"text"}, "o"));
  auto lit = PromptTemplate::parse("{single} braces }} stay", {}, "o");
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->render({}), "{single} braces }} stay");
}

// Every built-in template of every task parses and uses its main input placeholder.
TEST(PromptTemplate, BuiltinTemplatesAreValidAndUseTheirInput) {
  const ContentConfig cfg = ContentConfig::defaults();
  const std::map<Task, std::pair<std::string, std::string>> main_input{
      {Task::Summarize, {"user", "text"}}, {Task::Rephrase, {"user", "text"}},
      {Task::Expand, {"user", "bullets"}}, {Task::Blog, {"user", "topic"}},
      {Task::Product, {"user", "name"}},   {Task::Social, {"user", "content"}}};
  for (Task task : kAllTasks) {
    const auto& specs = template_specs(task);
    ASSERT_FALSE(specs.empty());
    for (const auto& spec : specs) {
      const PromptTemplate& t = cfg.task(task).templ(spec.name);
      EXPECT_FALSE(t.empty()) << to_string(task) << "." << spec.name;
      auto reparsed = PromptTemplate::parse(std::string(spec.builtin), spec.placeholders, "x");
      EXPECT_TRUE(reparsed) << to_string(task) << "." << spec.name;
    }
    const auto& [name, input] = main_input.at(task);
    const std::string rendered = cfg.task(task).templ(name).render({{input, "INPUT-MARKER"}});
    EXPECT_NE(rendered.find("INPUT-MARKER"), std::string::npos) << to_string(task);
  }
  // The map and reduce steps of summarization carry the text too.
  for (const char* name : {"chunk", "combine"}) {
    EXPECT_NE(cfg.task(Task::Summarize).templ(name).render({{"text", "ZZ"}}).find("ZZ"),
              std::string::npos);
  }
  EXPECT_NE(cfg.task(Task::Social).templ("retry").render({{"draft", "ZZ"}}).find("ZZ"),
            std::string::npos);
}

}  // namespace
}  // namespace bedrock::content
