// parse_json against nlohmann's parser, the behaviour it must keep: the same verdict (JSON or
// not) and the same tree, number kinds included, for edge cases and for thousands of
// mutated request bodies (flipped, dropped and inserted bytes, cut-off endings).
#include "emulator/model/json_read.h"

#include <gtest/gtest.h>

#include <random>

namespace bedrock::emulator::model::detail {
namespace {

// The tree's shape with number kinds: what the validators see (type_name() says "Integer" for
// signed and unsigned alike, "BigDecimal" for floats).
std::string signature(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      std::string s = "{";
      for (const auto& [k, v] : j.items()) s += k + ":" + signature(v) + ",";
      return s + "}";
    }
    case Json::value_t::array: {
      std::string s = "[";
      for (const auto& v : j) s += signature(v) + ",";
      return s + "]";
    }
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "i";
    case Json::value_t::number_float:
      return "f";
    default:
      return j.type_name();
  }
}

void expect_same_as_nlohmann(const std::string& body) {
  const Json ours = parse_json(body);
  const Json theirs = Json::parse(body, nullptr, false);
  ASSERT_EQ(ours.is_discarded(), theirs.is_discarded())
      << Json(body).dump(-1, ' ', true, Json::error_handler_t::replace);
  if (theirs.is_discarded()) return;
  EXPECT_EQ(ours, theirs) << body;
  EXPECT_EQ(ours.dump(), theirs.dump()) << body;
  EXPECT_EQ(signature(ours), signature(theirs)) << body;
}

TEST(ParseJson, EdgeCasesMatchNlohmann) {
  const std::vector<std::string> bodies = {"{}",
                                           "[]",
                                           "null",
                                           "true",
                                           "0",
                                           "-0",
                                           "-0.0",
                                           "1.5",
                                           "1e2",
                                           "1E-2",
                                           "1e-400",
                                           "1e400",
                                           "\"s\"",
                                           "  {\"a\" : 1 }  ",
                                           "{\"a\":1,\"a\":2}",
                                           "{\"a\":{\"b\":[1,[2,[3]]]}}",
                                           "{\"n\":9223372036854775807}",
                                           "{\"n\":9223372036854775808}",
                                           "{\"n\":18446744073709551615}",
                                           "{\"n\":18446744073709551616}",
                                           "{\"n\":-9223372036854775808}",
                                           "{\"n\":-9223372036854775809}",
                                           "{\"n\":01}",
                                           "{\"n\":1.}",
                                           "{\"n\":.5}",
                                           "{\"n\":+1}",
                                           "{\"s\":\"\\u00e9\\ud83d\\ude00\"}",
                                           "{\"s\":\"\\ud800\"}",
                                           "{\"s\":\"\\u0000\"}",
                                           "{\"s\":\"caf\xc3\xa9\"}",
                                           "{\"s\":\"\xc3\"}",
                                           "{\"s\":\"\xed\xa0\x80\"}",
                                           "{\"s\":\"a\nb\"}",
                                           "{\"s\":\"a\tb\"}",
                                           "{\"s\":\"\x7f\"}",
                                           "{\"s\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}",
                                           "{\"s\":\"\\x\"}",
                                           "\xef\xbb\xbf{\"a\":1}",
                                           "{\"a\":1} x",
                                           "{\"a\":1}}",
                                           "{\"a\":[1,]}",
                                           "{\"a\":1,}",
                                           "{a:1}",
                                           "{'a':1}",
                                           "",
                                           " ",
                                           "{\"a\":tru}",
                                           "{\"a\":nul}",
                                           "[1,2",
                                           "{\"a\":NaN}",
                                           "{\"a\":Infinity}",
                                           "/* c */ {}",
                                           std::string("{\"a\":1}\0", 8),
                                           std::string(200, '[') + std::string(200, ']')};
  for (const std::string& body : bodies) {
    SCOPED_TRACE(body.substr(0, 80));
    expect_same_as_nlohmann(body);
  }
}

// Deep nesting gives the same tree. Compared with == only: nlohmann's dump recurses once per level
// with frames large enough under clang's ASan at -O0 to overflow the stack at this depth.
TEST(ParseJson, DeepNestingMatchesNlohmann) {
  const std::string body = std::string(2000, '[') + std::string(2000, ']');
  const Json ours = parse_json(body);
  const Json theirs = Json::parse(body, nullptr, false);
  ASSERT_FALSE(theirs.is_discarded());
  ASSERT_FALSE(ours.is_discarded());
  EXPECT_TRUE(ours == theirs);
}

TEST(ParseJson, MutatedRequestBodiesMatchNlohmann) {
  const std::vector<std::string> seeds = {
      R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"The sky is blue. Grass is green."}],"temperature":0.5,"top_k":-3,"stop_sequences":["\n\nHuman:"]})",
      R"({"messages":[{"role":"user","content":[{"text":"Caf\u00e9 \ud83d\ude00 ok"}]}],"inferenceConfig":{"maxTokens":512,"topP":1e-1},"additionalModelRequestFields":{"k":[true,false,null]}})",
      R"({"prompt":"<s>[INST] hi [/INST]","max_gen_len":9223372036854775807,"temperature":1.0E0})"};
  std::mt19937 random(20261201);
  constexpr char kBytes[] = "{}[]\",:0123456789.eE+-\\u tfnalrs \x00\xc3\xa9\xff\n";
  const std::string bytes(kBytes, sizeof kBytes - 1);  // the NUL byte included
  for (const std::string& seed : seeds) {
    for (int round = 0; round < 4000; ++round) {
      std::string body = seed;
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int e = 0; e < edits && !body.empty(); ++e) {
        const std::size_t at = random() % body.size();
        switch (random() % 4) {
          case 0:
            body[at] = bytes[random() % bytes.size()];
            break;
          case 1:
            body.erase(at, 1);
            break;
          case 2:
            body.insert(at, 1, bytes[random() % bytes.size()]);
            break;
          default:
            body.resize(at);
        }
      }
      SCOPED_TRACE(body);
      expect_same_as_nlohmann(body);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace bedrock::emulator::model::detail
