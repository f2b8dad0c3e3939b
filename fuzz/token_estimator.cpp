// The token estimator (budgets, chunking and the emulator's counts rely on it) over any bytes,
// for each fitted profile. Properties: estimate() is estimate_milli() rounded up, and for
// valid UTF-8 a prefix cut at a code point boundary never costs more than the whole text.
#include "bedrock/content/token_estimator.h"

#include "bedrock/core/utf8.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bedrock::content;
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  const bool valid = bedrock::is_valid_utf8(text);
  for (const auto* profile : {&kClaudeProfile, &kCl100kProfile, &kO200kProfile}) {
    const TokenEstimator estimator(*profile);
    const long long milli = estimator.estimate_milli(text);
    FUZZ_CHECK(milli >= 0);
    FUZZ_CHECK(estimator.estimate(text) == (milli + 999) / 1000);
    if (valid && !text.empty()) {
      std::size_t cut = size / 2;
      while (cut > 0 && (data[cut] & 0xC0) == 0x80) --cut;
      FUZZ_CHECK(estimator.estimate_milli(text.substr(0, cut)) <= milli);
    }
  }
  return 0;
}
