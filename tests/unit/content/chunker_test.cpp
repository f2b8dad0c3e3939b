#include "bedrock/content/chunker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

namespace bedrock::content {
namespace {

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80             ? 1
                      : (c & 0xE0) == 0xC0 ? 2
                      : (c & 0xF0) == 0xE0 ? 3
                      : (c & 0xF8) == 0xF0 ? 4
                                           : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Random mixed text: English words, CJK runs, emoji (incl. ZWJ sequences), code, long words,
// sentence ends and paragraph breaks, from a fixed seed.
std::string random_text(unsigned seed, std::size_t words) {
  std::mt19937 rng(seed);
  const char* pieces[] = {"the",
                          "model",
                          "summary",
                          "chunk",
                          "boundary",
                          "token",
                          "a",
                          "of",
                          "数据",
                          "模型的上下文窗口",
                          "東京は日本の首都です",
                          "서울은",
                          "Москва",
                          "😀",
                          "👨‍👩‍👧‍👦",
                          "🇯🇵",
                          "int x = 42;",
                          "foo(bar);",
                          "Internationalization",
                          "Größere",
                          "3.14159",
                          "مرحبا"};
  std::string out;
  for (std::size_t w = 0; w < words; ++w) {
    out += pieces[rng() % std::size(pieces)];
    const unsigned r = rng() % 100;
    if (r < 3) {
      out += ".\n\n";
    } else if (r < 10) {
      out += ". ";
    } else if (r < 12) {
      out += "。";
    } else if (r < 14) {
      out += "\n";
    } else {
      out += " ";
    }
  }
  return out;
}

void check_plan_properties(const std::string& text, const ChunkPlan& plan, const ChunkOptions& o,
                           const TokenEstimator& est) {
  ASSERT_FALSE(plan.chunks.empty());
  EXPECT_EQ(plan.chunks.front().begin, 0u);
  EXPECT_EQ(plan.chunks.front().overlap, 0u);
  EXPECT_EQ(plan.chunks.back().end, text.size());
  for (std::size_t k = 0; k < plan.chunks.size(); ++k) {
    const Chunk& c = plan.chunks[k];
    const std::string_view body = chunk_text(text, c);
    ASSERT_LT(c.begin, c.end);
    EXPECT_TRUE(valid_utf8(body)) << "chunk " << k;
    EXPECT_EQ(est.estimate(body), c.tokens) << "chunk " << k;
    EXPECT_LE(c.tokens, o.max_tokens) << "chunk " << k;
    if (k == 0) continue;
    const Chunk& p = plan.chunks[k - 1];
    EXPECT_GT(c.begin, p.begin);
    EXPECT_GT(c.end, p.end);
    EXPECT_LE(c.begin, p.end) << "gap before chunk " << k;
    EXPECT_EQ(c.overlap, p.end - c.begin);
    EXPECT_LE(est.estimate(text.substr(c.begin, c.overlap)), o.overlap_tokens) << "chunk " << k;
  }
}

// Property: for many random mixed texts and option pairs, chunks cover the text in order,
// overlap by no more than asked, never exceed the budget, and are valid UTF-8.
TEST(Chunker, PropertiesHoldOnRandomMixedText) {
  const TokenEstimator est(kCl100kProfile);
  for (unsigned seed = 1; seed <= 40; ++seed) {
    const std::string text = random_text(seed, 200 + seed * 37);
    for (ChunkOptions o : {ChunkOptions{16, 0}, ChunkOptions{50, 10}, ChunkOptions{200, 100},
                           ChunkOptions{1000, 50}}) {
      auto plan = plan_chunks(text, est, o);
      ASSERT_TRUE(plan) << plan.error().message;
      SCOPED_TRACE(testing::Message() << "seed " << seed << " max " << o.max_tokens << " overlap "
                                      << o.overlap_tokens);
      check_plan_properties(text, *plan, o, est);
      // Costs are additive at word boundaries, so the plan counts the text exactly once unless
      // a word had to be cut between code points.
      const bool hard_cut = std::any_of(plan->chunks.begin(), plan->chunks.end(),
                                        [](const Chunk& c) { return c.cut == CutKind::CodePoint; });
      if (!hard_cut) {
        EXPECT_EQ(plan->total_tokens, est.estimate(text));
      }
    }
  }
}

// Overlaps are as asked: on prose of short words each overlap is within one word of the request.
TEST(Chunker, OverlapIsCloseToRequested) {
  const TokenEstimator est(kCl100kProfile);
  std::string text;
  for (int i = 0; i < 2000; ++i) text += (i % 11 == 10) ? "end. " : "word ";
  ChunkOptions o{100, 20};
  auto plan = plan_chunks(text, est, o);
  ASSERT_TRUE(plan);
  ASSERT_GT(plan->chunks.size(), 10u);
  for (std::size_t k = 1; k < plan->chunks.size(); ++k) {
    const auto& c = plan->chunks[k];
    const int overlap = est.estimate(text.substr(c.begin, c.overlap));
    EXPECT_LE(overlap, 20);
    EXPECT_GE(overlap, 18) << "chunk " << k;  // one word of "word " costs about 1.04 tokens
  }
  // The whole-text estimate counts overlaps once.
  EXPECT_EQ(plan->total_tokens, est.estimate(text));
}

// Paragraph breaks win over sentence and word boundaries when one is at least half a chunk in.
TEST(Chunker, PrefersParagraphThenSentenceThenWord) {
  const TokenEstimator est(kCl100kProfile);
  std::string para;
  for (int i = 0; i < 6; ++i) para += "Alpha beta gamma delta. ";
  std::string text;
  for (int i = 0; i < 20; ++i) text += para + "\n\n";
  auto plan = plan_chunks(text, est, ChunkOptions{100, 0});
  ASSERT_TRUE(plan);
  for (std::size_t k = 0; k + 1 < plan->chunks.size(); ++k) {
    EXPECT_EQ(plan->chunks[k].cut, CutKind::Paragraph) << k;
    EXPECT_EQ(text.substr(plan->chunks[k].end - 2, 2), "\n\n");
  }
  // No paragraphs: sentences.
  std::string sentences;
  for (int i = 0; i < 100; ++i) sentences += "Alpha beta gamma delta. ";
  plan = plan_chunks(sentences, est, ChunkOptions{50, 0});
  ASSERT_TRUE(plan);
  for (std::size_t k = 0; k + 1 < plan->chunks.size(); ++k) {
    EXPECT_EQ(plan->chunks[k].cut, CutKind::Sentence) << k;
    EXPECT_EQ(sentences.substr(plan->chunks[k].end - 2, 2), ". ");
  }
  // No sentence ends: words.
  std::string words;
  for (int i = 0; i < 300; ++i) words += "alpha ";
  plan = plan_chunks(words, est, ChunkOptions{50, 0});
  ASSERT_TRUE(plan);
  for (std::size_t k = 0; k + 1 < plan->chunks.size(); ++k) {
    EXPECT_EQ(plan->chunks[k].cut, CutKind::Word) << k;
    EXPECT_EQ(words[plan->chunks[k].end - 1], ' ');
  }
}

// CJK text has no spaces: it is cut after 。 when possible, between characters otherwise.
TEST(Chunker, SplitsCjkAtSentencesAndCharacters) {
  const TokenEstimator est(kCl100kProfile);
  std::string text;
  for (int i = 0; i < 50; ++i) text += "今天的天气很好我们一起去公园散步吧。";
  auto plan = plan_chunks(text, est, ChunkOptions{40, 5});
  ASSERT_TRUE(plan);
  ChunkOptions o{40, 5};
  check_plan_properties(text, *plan, o, est);
  for (std::size_t k = 0; k + 1 < plan->chunks.size(); ++k) {
    EXPECT_EQ(plan->chunks[k].cut, CutKind::Sentence) << k;
    EXPECT_EQ(text.substr(plan->chunks[k].end - 3, 3), "。");
  }
  std::string no_stops;
  for (int i = 0; i < 200; ++i) no_stops += "天气";
  plan = plan_chunks(no_stops, est, ChunkOptions{30, 0});
  ASSERT_TRUE(plan);
  check_plan_properties(no_stops, *plan, ChunkOptions{30, 0}, est);
  EXPECT_EQ(plan->chunks.front().cut, CutKind::Word);
}

// A run with no boundary at all (emoji, one huge word) is cut between code points only.
TEST(Chunker, CutsOverlongRunsBetweenCodePoints) {
  const TokenEstimator est(kCl100kProfile);
  std::string emoji;
  for (int i = 0; i < 300; ++i) emoji += "😀🎉";
  auto plan = plan_chunks(emoji, est, ChunkOptions{20, 4});
  ASSERT_TRUE(plan);
  check_plan_properties(emoji, *plan, ChunkOptions{20, 4}, est);
  EXPECT_EQ(plan->chunks.front().cut, CutKind::CodePoint);
  for (const auto& c : plan->chunks) EXPECT_EQ(c.begin % 4, 0u);  // every emoji is 4 bytes
}

// Code-point cuts keep emoji ZWJ sequences, flags and combining marks whole.
TEST(Chunker, KeepsGraphemeClustersWhole) {
  const TokenEstimator est(kCl100kProfile);
  const std::string family =
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
  const std::string flag = "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5";  // JP
  const std::string accent = "e\xCC\x81";                       // e + combining acute
  struct Case {
    std::string unit;
    std::vector<std::size_t> cluster_starts;  // offsets inside the unit where clusters begin
  };
  const Case cases[] = {
      {family, {0}}, {flag, {0}}, {accent + "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", {0, 3}}};
  for (const auto& [unit, starts] : cases) {
    std::string text;
    for (int i = 0; i < 200; ++i) text += unit;
    auto plan = plan_chunks(text, est, ChunkOptions{20, 0});
    ASSERT_TRUE(plan);
    check_plan_properties(text, *plan, ChunkOptions{20, 0}, est);
    ASSERT_GT(plan->chunks.size(), 2u);
    for (const auto& c : plan->chunks) {
      const std::size_t offset = c.begin % unit.size();
      EXPECT_NE(std::find(starts.begin(), starts.end(), offset), starts.end())
          << "chunk starts mid-cluster at " << c.begin;
    }
  }
}

// Bad input and bad options are refused with Validation errors that say what is wrong.
TEST(Chunker, RejectsInvalidInputAndOptions) {
  const TokenEstimator est;
  auto bad = plan_chunks(std::string("abc \xe4\xbd", 6), est, ChunkOptions{100, 0});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::Validation);
  EXPECT_NE(bad.error().message.find("byte offset 4"), std::string::npos);
  auto small = plan_chunks("abc", est, ChunkOptions{8, 0});
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, ErrorCode::Validation);
  auto overlap = plan_chunks("abc", est, ChunkOptions{100, 51});
  ASSERT_FALSE(overlap);
  EXPECT_NE(overlap.error().message.find("overlap"), std::string::npos);
  auto empty = plan_chunks("", est, ChunkOptions{100, 0});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->chunks.empty());
}

// A text under the budget is one chunk, ended by End.
TEST(Chunker, ShortTextIsOneChunk) {
  const TokenEstimator est;
  auto plan = plan_chunks("Short text. Two sentences.", est, ChunkOptions{100, 10});
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->chunks.size(), 1u);
  EXPECT_EQ(plan->chunks[0].cut, CutKind::End);
  EXPECT_EQ(plan->chunks[0].tokens, est.estimate("Short text. Two sentences."));
}

}  // namespace
}  // namespace bedrock::content
