// The chunker (map-reduce splits user documents with it): the first byte picks the budget and
// overlap, the rest is the text. Properties, for an accepted plan: chunks are in order, touch
// or overlap, cover the whole text, never cut a UTF-8 sequence, and each chunk's token count is
// the estimator's and within the budget.
#include "bedrock/content/chunker.h"

#include "bedrock/core/utf8.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  bedrock::content::ChunkOptions options;
  options.max_tokens = 16 + (data[0] & 0x3f);
  options.overlap_tokens = (data[0] >> 6) * options.max_tokens / 6;
  const std::string_view text = bedrock::fuzz::as_text(data + 1, size - 1);
  const bedrock::content::TokenEstimator estimator;
  auto plan = bedrock::content::plan_chunks(text, estimator, options);
  if (!plan) {
    FUZZ_CHECK(!bedrock::is_valid_utf8(text));
    return 0;
  }
  std::size_t covered = 0;
  for (const auto& chunk : plan->chunks) {
    FUZZ_CHECK(chunk.begin < chunk.end && chunk.end <= text.size());
    FUZZ_CHECK(chunk.begin <= covered && chunk.begin + chunk.overlap == covered);
    const auto piece = bedrock::content::chunk_text(text, chunk);
    FUZZ_CHECK(bedrock::is_valid_utf8(piece));
    FUZZ_CHECK(chunk.tokens == estimator.estimate(piece));
    FUZZ_CHECK(chunk.tokens <= options.max_tokens);
    covered = chunk.end;
  }
  FUZZ_CHECK(covered == text.size());
  return 0;
}
