// Splits a text into chunks that each fit a token budget, cutting at the best boundary
// available: paragraph, then sentence, then word (CJK characters are word boundaries of their
// own), and only when a single word is longer than the budget between two code points. Never
// splits a UTF-8 sequence. A pure function of its inputs: one pass, no per-character allocation.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "bedrock/content/token_estimator.h"
#include "bedrock/core/result.h"

namespace bedrock::content {

struct ChunkOptions {
  int max_tokens = 0;      // estimated tokens per chunk; at least kMinChunkTokens
  int overlap_tokens = 0;  // tokens of the previous chunk's end repeated at the start of the next;
                           // 0 <= overlap_tokens <= max_tokens / 2
  static constexpr int kMinChunkTokens = 16;
};

enum class CutKind { Paragraph, Sentence, Word, CodePoint, End };

struct Chunk {
  std::size_t begin = 0;       // byte offset of the first byte
  std::size_t end = 0;         // one past the last byte
  std::size_t overlap = 0;     // leading bytes that repeat the end of the previous chunk
  int tokens = 0;              // TokenEstimator::estimate of [begin, end), <= max_tokens
  CutKind cut = CutKind::End;  // how the chunk ends
};

struct ChunkPlan {
  std::vector<Chunk> chunks;   // in text order; consecutive chunks touch or overlap
  long long total_tokens = 0;  // estimate of the text counted once (overlaps not repeated)
};

// Errors: Validation when options are out of range or the text is not valid UTF-8 (the message
// names the byte offset). An empty text has no chunks. The overlap is aligned to a word start,
// so it is at most overlap_tokens and may be shorter (zero when no word starts in range).
Result<ChunkPlan> plan_chunks(std::string_view text, const TokenEstimator& estimator,
                              const ChunkOptions& options);

inline std::string_view chunk_text(std::string_view text, const Chunk& chunk) {
  return text.substr(chunk.begin, chunk.end - chunk.begin);
}

std::string_view to_string(CutKind kind);

}  // namespace bedrock::content
