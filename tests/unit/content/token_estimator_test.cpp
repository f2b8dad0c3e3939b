#include "bedrock/content/token_estimator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bedrock::content {
namespace {

struct Sample {
  std::string id;
  std::string kind;
  std::string text;
  int claude = 0;
  int cl100k = 0;
  int o200k = 0;
};

std::vector<Sample> load_corpus() {
  std::ifstream in(std::string(BEDROCK_SOURCE_DIR) + "/tests/data/content/token_corpus.jsonl");
  std::vector<Sample> out;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    out.push_back({j["id"], j["kind"], j["text"], j["claude_legacy"], j["cl100k"], j["o200k"]});
  }
  return out;
}

struct Errors {
  double worst_sample = 0;
  std::string worst_id;
  double total = 0;
  double mean = 0;
};

template <typename Count>
Errors measure(const std::vector<Sample>& corpus, const EstimatorProfile& profile, Count count) {
  TokenEstimator est(profile);
  Errors e;
  double sum_est = 0, sum_ref = 0, sum_abs = 0;
  for (const auto& s : corpus) {
    const double ref = count(s);
    const double got = est.estimate(s.text);
    const double err = std::abs(got - ref) / ref;
    if (err > e.worst_sample) {
      e.worst_sample = err;
      e.worst_id = s.id;
    }
    sum_abs += err;
    sum_est += got;
    sum_ref += ref;
  }
  e.total = std::abs(sum_est - sum_ref) / sum_ref;
  e.mean = sum_abs / static_cast<double>(corpus.size());
  return e;
}

// The corpus is there and mixes prose, code, CJK, other scripts and emoji.
TEST(TokenCorpus, CoversEveryKindOfText) {
  auto corpus = load_corpus();
  ASSERT_GE(corpus.size(), 40u);
  for (const char* kind : {"prose", "code", "cjk", "other", "emoji", "mixed"}) {
    EXPECT_TRUE(std::any_of(corpus.begin(), corpus.end(), [&](auto& s) { return s.kind == kind; }))
        << kind;
  }
}

// Each profile meets the error bound it documents against the tokenizer it was fitted to.
TEST(TokenEstimator, MeetsDocumentedBoundsOnCorpus) {
  auto corpus = load_corpus();
  struct Case {
    const EstimatorProfile* profile;
    int (*count)(const Sample&);
  };
  const Case cases[] = {
      {&kClaudeProfile, [](const Sample& s) { return s.claude; }},
      {&kCl100kProfile, [](const Sample& s) { return s.cl100k; }},
      {&kO200kProfile, [](const Sample& s) { return s.o200k; }},
  };
  for (const auto& c : cases) {
    Errors e = measure(corpus, *c.profile, c.count);
    EXPECT_LE(e.worst_sample, c.profile->max_sample_error)
        << c.profile->name << " worst sample " << e.worst_id;
    EXPECT_LE(e.total, c.profile->max_total_error) << c.profile->name;
    EXPECT_LE(e.mean, 0.12) << c.profile->name;
  }
}

// The estimator beats the words * 1.3 rule on the same corpus by a wide margin.
TEST(TokenEstimator, BeatsWordsTimesOnePointThree) {
  auto corpus = load_corpus();
  double ours = 0, naive = 0;
  TokenEstimator est(kCl100kProfile);
  for (const auto& s : corpus) {
    int words = 0;
    bool in_word = false;
    for (char ch : s.text) {
      const bool sp = ch == ' ' || ch == '\n' || ch == '\t';
      if (!sp && !in_word) ++words;
      in_word = !sp;
    }
    naive += std::abs(words * 1.3 - s.cl100k) / s.cl100k;
    ours += std::abs(est.estimate(s.text) - s.cl100k) / static_cast<double>(s.cl100k);
  }
  EXPECT_LT(ours * 3, naive);
}

// Character classes get their own costs: CJK near one token per character, ASCII words less.
TEST(TokenEstimator, CountsScriptsDifferently) {
  TokenEstimator est(kCl100kProfile);
  EXPECT_EQ(est.estimate(""), 0);
  EXPECT_EQ(est.estimate("hello"), 2);  // word start 0.823 + 5 * 0.055 = 1.098 -> 2
  EXPECT_GE(est.estimate("今天的天气很好"), 7);
  EXPECT_LE(est.estimate("今天的天气很好"), 9);
  // Emoji cost more than one token each in BPE vocabularies.
  EXPECT_GE(est.estimate("😀😀😀😀"), 8);
  // Invalid bytes are counted, not skipped or crashed on.
  EXPECT_GT(est.estimate(std::string("\xff\xfe", 2)), 0);
}

// Families map to the profile of their tokenizer (or the documented proxy).
TEST(TokenEstimator, PicksProfilePerFamily) {
  EXPECT_EQ(profile_for(models::ModelFamily::AnthropicMessages).name, "claude");
  EXPECT_EQ(profile_for(models::ModelFamily::OpenAiGptOss).name, "o200k");
  EXPECT_EQ(profile_for(models::ModelFamily::TitanText).name, "cl100k");
  EXPECT_EQ(profile_for(models::ModelFamily::Llama3).name, "cl100k");
}

// Reported counts move the per-model ratio, bounded, and leave other models alone.
TEST(TokenCalibration, LearnsBoundedPerModelRatio) {
  TokenCalibration cal;
  EXPECT_DOUBLE_EQ(cal.ratio("m"), 1.0);
  cal.observe("m", 100, 120);
  EXPECT_DOUBLE_EQ(cal.ratio("m"), 1.2);
  cal.observe("m", 100, 120);
  EXPECT_NEAR(cal.ratio("m"), 1.2, 1e-9);
  cal.observe("m", 100, 200);  // moves toward 2.0 by 30%
  EXPECT_NEAR(cal.ratio("m"), 1.2 + 0.3 * 0.8, 1e-9);
  EXPECT_EQ(cal.corrected("m", 100), 144);
  cal.observe("x", 100, 10000);  // absurd report: clamped
  EXPECT_DOUBLE_EQ(cal.ratio("x"), TokenCalibration::kMaxRatio);
  cal.observe("y", 5, 50);  // too small to say anything
  EXPECT_DOUBLE_EQ(cal.ratio("y"), 1.0);
  EXPECT_DOUBLE_EQ(cal.ratio("other"), 1.0);
}

}  // namespace
}  // namespace bedrock::content
