// encode_converse writes the common request (plain text turns, system, inferenceConfig) without
// a DOM and hands every other shape to the ordered_json writer. These hold the direct writer to
// the DOM writer byte for byte, over random conversations of awkward text (every control
// character, quotes, backslashes, multi-byte UTF-8, U+2028) and every parameter combination, and
// check that each richer shape steps aside to the DOM writer.
#include "models/converse_fast_encode.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "bedrock/models/converse.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

ModelInfo haiku() { return testing::model("anthropic.claude-3-haiku-20240307-v1:0"); }
ModelInfo sonnet() { return testing::model("anthropic.claude-3-7-sonnet-20250219-v1:0"); }

// Valid UTF-8 built from pieces JSON escapes in every way it can.
std::string awkward_text(std::mt19937& rng, std::size_t max_pieces) {
  static const std::vector<std::string> kPieces = [] {
    std::vector<std::string> p;
    for (int c = 0; c < 128; ++c) p.emplace_back(1, static_cast<char>(c));
    for (const char* s : {"caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xE2\x80\xA8",
                          "\xE2\x80\xA9", "\xEF\xBB\xBF", "\\u0041", "\\\"", "</script>", "\r\n",
                          "plain words ", "\xC2\x80", "\xDF\xBF", "\xF4\x8F\xBF\xBF"}) {
      p.emplace_back(s);
    }
    return p;
  }();
  std::uniform_int_distribution<std::size_t> count(1, max_pieces);
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::string out;
  for (std::size_t n = count(rng); n > 0; --n) out += kPieces[pick(rng)];
  return out;
}

std::string dom_body(const Prompt& prompt, const InferenceParams& params, const ModelInfo& model) {
  auto body = detail::encode_converse_dom(prompt, params, model, ConverseOptions{}, false);
  EXPECT_TRUE(body.has_value()) << body.error().message;
  return body ? *body : std::string();
}

TEST(ConverseFastEncode, RandomConversationsMatchTheDomWriterByteForByte) {
  std::mt19937 rng(20261204);
  const std::vector<double> doubles = {
      0.0, 1.0, 0.5, 0.7, 0.1, 0.333333333333, 1e-7, 0.999999, 0.30000000000000004, 5e-324};
  for (int round = 0; round < 2000; ++round) {
    Prompt prompt;
    if (rng() % 2 == 0) prompt.system = awkward_text(rng, 6);
    const std::size_t turns = 1 + rng() % 5;
    for (std::size_t i = 0; i < turns; ++i) {
      prompt.messages.push_back({i % 2 == 0 ? Role::User : Role::Assistant, awkward_text(rng, 12)});
    }
    InferenceParams params;
    if (rng() % 2 == 0) params.max_tokens = 1 + static_cast<int>(rng() % 4096);
    if (rng() % 3 == 0) params.temperature = doubles[rng() % doubles.size()];
    if (rng() % 3 == 0) params.top_p = doubles[rng() % doubles.size()];
    for (std::size_t n = rng() % 4; n > 0; --n)
      params.stop_sequences.push_back(awkward_text(rng, 3));
    ASSERT_TRUE(detail::converse_plain_shape(prompt, params, {}, false));
    const std::string fast = detail::encode_converse_plain(prompt, params);
    ASSERT_EQ(fast, dom_body(prompt, params, haiku())) << "round " << round;
    // And the public entry point takes the fast writer for it, when the request is valid.
    auto encoded = encode_converse(prompt, params, haiku());
    if (encoded) {
      EXPECT_EQ(*encoded, fast) << "round " << round;
    }
  }
}

TEST(ConverseFastEncode, EmptyTextsAndTheSmallestBodies) {
  Prompt prompt;
  prompt.messages.push_back({Role::User, ""});
  EXPECT_EQ(detail::encode_converse_plain(prompt, {}), dom_body(prompt, {}, haiku()));
  EXPECT_EQ(detail::encode_converse_plain(prompt, {}),
            R"({"messages":[{"role":"user","content":[{"text":""}]}]})");
  InferenceParams params;
  params.max_tokens = 64;
  prompt = Prompt::from_user("The sky is blue. Grass is green.");
  EXPECT_EQ(
      *encode_converse(prompt, params, haiku()),
      R"({"messages":[{"role":"user","content":[{"text":"The sky is blue. Grass is green."}]}],)"
      R"("inferenceConfig":{"maxTokens":64}})");
}

TEST(ConverseFastEncode, EveryRicherShapeGoesToTheDomWriter) {
  const Prompt base = testing::system_user_prompt();
  const InferenceParams params = testing::max_tokens(100);
  EXPECT_TRUE(detail::converse_plain_shape(base, params, {}, true));

  Prompt tools = base;
  tools.tools.tools.push_back({"lookup", "", R"({"type":"object"})"});
  EXPECT_FALSE(detail::converse_plain_shape(tools, params, {}, false));

  Prompt image = base;
  image.messages[0].images.push_back({});
  EXPECT_FALSE(detail::converse_plain_shape(image, params, {}, false));

  Prompt document = base;
  document.messages[0].documents.push_back({});
  EXPECT_FALSE(detail::converse_plain_shape(document, params, {}, false));

  Prompt reasoning = testing::multi_turn_prompt();
  reasoning.messages[1].reasoning.push_back({"thought", "sig", ""});
  EXPECT_FALSE(detail::converse_plain_shape(reasoning, params, {}, false));

  Prompt results = base;
  results.messages[0].tool_results.push_back({"id", "text"});
  EXPECT_FALSE(detail::converse_plain_shape(results, params, {}, false));

  Prompt uses = testing::multi_turn_prompt();
  uses.messages[1].tool_uses.push_back({"id", "lookup"});
  EXPECT_FALSE(detail::converse_plain_shape(uses, params, {}, false));

  Prompt cached = base;
  cached.messages[0].cache_point = CachePoint{};
  EXPECT_FALSE(detail::converse_plain_shape(cached, params, {}, true));
  // A model without prompt caching drops the cache point: the plain body is the right one.
  EXPECT_TRUE(detail::converse_plain_shape(cached, params, {}, false));
  EXPECT_EQ(detail::encode_converse_plain(cached, params), dom_body(cached, params, haiku()));

  Prompt system_cached = base;
  system_cached.system_cache_point = CachePoint{};
  EXPECT_FALSE(detail::converse_plain_shape(system_cached, params, {}, true));

  Prompt structured = base;
  structured.output_schema = OutputSchema{"answer", R"({"type":"object"})"};
  EXPECT_FALSE(detail::converse_plain_shape(structured, params, {}, false));

  InferenceParams top_k = params;
  top_k.top_k = 5;
  EXPECT_FALSE(detail::converse_plain_shape(base, top_k, {}, false));

  InferenceParams thinking = params;
  thinking.reasoning_budget_tokens = 1024;
  EXPECT_FALSE(detail::converse_plain_shape(base, thinking, {}, false));

  ConverseOptions options;
  options.latency = Latency::Optimized;
  EXPECT_FALSE(detail::converse_plain_shape(base, params, options, false));
}

TEST(ConverseFastEncode, CachePointsOnACachingModelStillEncodeThroughTheDomWriter) {
  Prompt prompt = testing::system_user_prompt();
  prompt.messages[0].cache_point = CachePoint{};
  const ModelInfo model = sonnet();
  ASSERT_TRUE(model.prompt_caching);
  auto body = encode_converse(prompt, testing::max_tokens(100), model);
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_NE(body->find("cachePoint"), std::string::npos) << *body;
}

TEST(ConverseFastEncode, ValidationStillComesFirst) {
  Prompt prompt = Prompt::from_user("bad \xC3");
  auto body = encode_converse(prompt, testing::max_tokens(10), haiku());
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, ErrorCode::Validation);
  EXPECT_NE(body.error().message.find("converse (anthropic-messages)"), std::string::npos)
      << body.error().message;
}

}  // namespace
}  // namespace bedrock::models
