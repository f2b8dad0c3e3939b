#include "bedrock/content/token_estimator.h"

#include <algorithm>
#include <cmath>

#include "bedrock/core/utf8.h"
#include "char_scan.h"

namespace bedrock::content {

// Weights and measured errors come from tests/data/content/fit_estimator.py run on
// token_corpus.jsonl (output in fit_output.txt); TokenEstimatorTest checks them against the corpus.
const EstimatorProfile kClaudeProfile{"claude", 757, 69,   1684, 658,  687,  0,    1295,
                                      649,      206, 1074, 1493, 1063, 2322, 0.51, 0.04};
const EstimatorProfile kCl100kProfile{"cl100k", 823,  55,  890, 643,  689,  0,    561,
                                      240,      2125, 488, 838, 1134, 2279, 0.31, 0.02};
const EstimatorProfile kO200kProfile{"o200k", 818, 55,  532, 645, 660,  0,    738,
                                     231,     273, 297, 313, 750, 1584, 0.27, 0.02};

const EstimatorProfile& profile_for(models::ModelFamily family) {
  switch (family) {
    case models::ModelFamily::AnthropicMessages:
    case models::ModelFamily::AnthropicText:
      return kClaudeProfile;
    case models::ModelFamily::OpenAiGptOss:
      return kO200kProfile;
    default:
      return kCl100kProfile;
  }
}

long long TokenEstimator::estimate_milli(std::string_view text) const {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const EstimatorProfile& p = *profile_;
  long long total = 0;
  detail::CharClass prev = detail::kStartClass;
  std::size_t i = 0;
  while (i < n) {
    detail::CharClass cls;
    if (s[i] < 0x80) {
      cls = detail::kAsciiClass[s[i]];
      ++i;
    } else {
      const Utf8Char d = decode_utf8_at(s, n, i);
      cls = d.valid ? detail::classify(d.cp) : detail::CharClass::Symbol;
      i += d.len;
    }
    total += detail::char_cost(p, cls, prev);
    prev = cls;
  }
  return total;
}

int TokenEstimator::estimate(std::string_view text) const {
  return detail::milli_to_tokens(estimate_milli(text));
}

void TokenCalibration::observe(std::string_view model_id, long long estimated, long long actual) {
  if (estimated < kMinSample || actual <= 0) return;
  const double sample = std::clamp(static_cast<double>(actual) / static_cast<double>(estimated),
                                   kMinRatio, kMaxRatio);
  // A moving average rather than the last sample: one call with a large cached or templated
  // prefix should not swing every later estimate.
  constexpr double kWeight = 0.3;
  std::lock_guard lock(mu_);
  auto it = ratios_.find(model_id);
  if (it == ratios_.end()) {
    ratios_.emplace(std::string(model_id), sample);
  } else {
    it->second = std::clamp(it->second + kWeight * (sample - it->second), kMinRatio, kMaxRatio);
  }
}

double TokenCalibration::ratio(std::string_view model_id) const {
  std::lock_guard lock(mu_);
  auto it = ratios_.find(model_id);
  return it == ratios_.end() ? 1.0 : it->second;
}

int TokenCalibration::corrected(std::string_view model_id, int estimate) const {
  return static_cast<int>(std::ceil(static_cast<double>(estimate) * ratio(model_id)));
}

}  // namespace bedrock::content
