// Token estimation without a tokenizer: a per-family linear model over character classes,
// fitted to real published tokenizers on a mixed corpus (tests/data/content/README.md), plus a
// per-model correction learned from the counts Bedrock reports.
//
// Error bound (measured, not assumed): on the 47-sample corpus in tests/data/content the
// per-sample relative error is at most profile().max_sample_error (e.g. 31% for the cl100k
// profile, short non-Latin samples being the worst) and the error over the whole corpus at
// most profile().max_total_error (under 4%). Long documents therefore estimate well; a single
// short sentence in a rare script can be off by a third. words * 1.3 is off by 40-55% on
// average on the same corpus.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "bedrock/models/types.h"

namespace bedrock::content {

// Costs in milli-tokens. A character's cost depends only on its class and the class of the
// character before it (word starts cost extra), so the cost of a text is the sum of the costs of
// any split of it at a word boundary: chunking can count tokens in the same single pass.
struct EstimatorProfile {
  std::string_view name;
  int word_start = 0;           // first letter of a Latin-script word
  int ascii_letter = 0;         // each ASCII letter
  int latin_ext = 0;            // each accented Latin letter (U+00C0..U+024F)
  int digit = 0;                // each ASCII digit
  int punct = 0;                // each ASCII punctuation or symbol, Latin-1 symbols
  int space_extra = 0;          // each whitespace after the first of a run (indentation)
  int newline = 0;              // each line feed
  int greek_cyrillic = 0;       // each letter U+0370..U+052F
  int script_word_start = 0;    // first letter of a non-Latin alphabetic word
  int semitic = 0;              // Armenian, Hebrew, Arabic, Syriac (U+0530..U+08FF)
  int brahmic = 0;              // Indic, Thai, other scripts (U+0900..U+1FFF)
  int cjk = 0;                  // Han, kana, Hangul, full-width forms
  int symbol = 0;               // emoji, general punctuation, other symbols, joiners
  double max_sample_error = 0;  // measured worst per-sample |relative error| on the corpus
  double max_total_error = 0;   // measured |relative error| of the corpus total
};

// Fitted to @anthropic-ai/tokenizer 0.0.4 (Anthropic's published Claude tokenizer).
extern const EstimatorProfile kClaudeProfile;
// Fitted to cl100k_base; the proxy for families without a published tokenizer (Titan, Nova,
// Llama, Mistral, Cohere, AI21, DeepSeek). Llama 3's vocabulary extends cl100k.
extern const EstimatorProfile kCl100kProfile;
// Fitted to o200k_base (OpenAI gpt-oss).
extern const EstimatorProfile kO200kProfile;

const EstimatorProfile& profile_for(models::ModelFamily family);

// Stateless and thread-safe; one pass over the bytes, no allocation.
class TokenEstimator {
 public:
  explicit TokenEstimator(const EstimatorProfile& profile = kCl100kProfile) : profile_(&profile) {}
  static TokenEstimator for_family(models::ModelFamily family) {
    return TokenEstimator(profile_for(family));
  }

  // Estimated tokens, rounded up. Invalid UTF-8 bytes count as one symbol each.
  int estimate(std::string_view text) const;
  long long estimate_milli(std::string_view text) const;

  const EstimatorProfile& profile() const { return *profile_; }

 private:
  const EstimatorProfile* profile_;
};

// Learns, per model id, the ratio actual / estimated from the input counts Bedrock reports, so
// later estimates for that model use the model's own counting. Thread-safe.
class TokenCalibration {
 public:
  static constexpr double kMinRatio = 0.5;     // a ratio outside these bounds means the report
  static constexpr double kMaxRatio = 2.0;     // measured something else (cached prompt, framing)
  static constexpr long long kMinSample = 16;  // smaller samples are dominated by framing

  // Records one call: `estimated` tokens we predicted for its input, `actual` Bedrock's count.
  void observe(std::string_view model_id, long long estimated, long long actual);
  // Running ratio for the model (exponential moving average, bounded); 1.0 before any report.
  double ratio(std::string_view model_id) const;
  // estimate * ratio(model_id), rounded up.
  int corrected(std::string_view model_id, int estimate) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, double, std::less<>> ratios_;
};

}  // namespace bedrock::content
