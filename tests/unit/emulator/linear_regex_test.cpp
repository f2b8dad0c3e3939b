// Fixture regexes: the linear matcher finds what std::regex finds on short text, refuses what
// it does not support, and handles long prompts without recursion or backtracking.
#include "emulator/linear_regex.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace bedrock::emulator {
namespace {

// Agreement with std::regex_search (ECMAScript) over patterns and texts of every feature.
TEST(LinearRegex, AgreesWithStdRegexOnShortText) {
  const std::vector<std::string> patterns = {"abc",
                                             "^abc",
                                             "abc$",
                                             "^$",
                                             "a.c",
                                             "a*",
                                             "a+b",
                                             "ab?c",
                                             "a{2}",
                                             "a{2,}b",
                                             "^a{1,3}$",
                                             "(ab|cd)+e",
                                             "(?:x|y)z",
                                             "[a-c]+d",
                                             "[^a-c]",
                                             "[]",
                                             "[^]x",
                                             "\\d+\\.\\d",
                                             "\\w+\\s\\W",
                                             "\\D\\S",
                                             "^Translate .* to French",
                                             "colou?r",
                                             "(a|b)*c",
                                             "a|",
                                             "|b",
                                             "(a*)*b",
                                             "x{0}y",
                                             "[\\d-]",
                                             "[a\\]]",
                                             "\\[\\(",
                                             "a.*b.*c",
                                             "^(a|ab)(c|bcd)$",
                                             "\\n",
                                             "[\\s\\d]{2}",
                                             "a+?b",
                                             "(?:)",
                                             "^.*$"};
  const std::vector<std::string> texts = {"",
                                          "abc",
                                          "xabcx",
                                          "aab",
                                          "ac",
                                          "abcde",
                                          "cdabe",
                                          "xz",
                                          "yz",
                                          "bcd",
                                          "12.5",
                                          "foo bar!",
                                          "color",
                                          "colour",
                                          "abab",
                                          "ababc",
                                          "a]",
                                          "[(",
                                          "axbyc",
                                          "abcd",
                                          "line\n",
                                          "1-",
                                          "Translate this to French",
                                          "aaaaab",
                                          "x\ny",
                                          " 9"};
  for (const auto& p : patterns) {
    auto re = LinearRegex::compile(p);
    ASSERT_TRUE(re) << p << ": " << re.error().message;
    const std::regex reference(p, std::regex::ECMAScript);
    for (const auto& t : texts) {
      EXPECT_EQ(re->search(t), std::regex_search(t, reference)) << "/" << p << "/ on '" << t << "'";
    }
  }
}

// What the matcher cannot do in linear time, or does not know, is refused at load.
TEST(LinearRegex, RefusesUnsupportedSyntax) {
  for (const char* p : {"(a)\\1", "(?=a)", "(?!a)", "(?<n>a)", "\\bword", "a{2000}", "(", ")", "[a",
                        "*a", "a{3,1}", "\\", "\\q", "(((((((((((a)))))))))))){1000}"}) {
    EXPECT_FALSE(LinearRegex::compile(p)) << p;
  }
}

// A 1 MB prompt is searched without recursion, in time proportional to its length, with the
// patterns that overflowed std::regex's stack.
TEST(LinearRegex, LongTextIsLinear) {
  const std::string text = "Translate " + std::string(1 << 20, 'a') + " to French";
  EXPECT_TRUE(LinearRegex::compile("^Translate .* to French")->search(text));
  EXPECT_TRUE(LinearRegex::compile("((a|b)|(c|d))* to")->search(text));
  EXPECT_FALSE(LinearRegex::compile("(a|aa)*z")->search(text));
  EXPECT_FALSE(LinearRegex::compile("(a+)+b")->search(std::string(1 << 16, 'a')));
}

}  // namespace
}  // namespace bedrock::emulator
