// Large-document summarization as map-reduce: the text is chunked to fit the model, chunk
// summaries run on a bounded pool of worker threads, and the partial summaries are combined,
// hierarchically while their concatenation is still too long for one call.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/content/chunker.h"
#include "bedrock/content/content_config.h"
#include "bedrock/content/model_limits.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::content {

struct GenerationContext;

struct MapReduceProgress {
  enum class Phase { Map, Reduce };
  Phase phase = Phase::Map;
  int level = 0;  // 0 for the map step, 1.. for reduce levels
  int done = 0;   // calls finished in this phase/level (including failed, marked chunks)
  int total = 0;
  long long tokens = 0;  // input + output tokens of every call so far (reported or estimated)
  std::chrono::milliseconds elapsed{0};
  std::optional<std::chrono::milliseconds> eta;  // for the current phase; none before a call ends
};

struct MapReduceOptions {
  int concurrency = 4;
  int chunk_retries = 2;
  bool mark_failed_chunks = false;
  int overlap_tokens = 100;
  int max_levels = 6;
  int chunk_tokens = 4000;  // cap; 0 = as large as the model allows
  int max_words = 0;        // the final summary's word limit (length_limit_phrase); 0: none
  // Called from worker threads, never concurrently with itself.
  std::function<void(const MapReduceProgress&)> on_progress;

  static MapReduceOptions from_config(const MapReduceConfig& config);
};

struct FailedChunk {
  int index = 0;  // 1-based
  std::string reason;
};

// The pure part: how the text will be cut, derived from the model's limits.
struct MapReducePlan {
  ModelLimits limits;
  int prompt_overhead = 0;  // tokens of the chunk template and system prompt around the text
  int output_reserve = 0;   // tokens reserved for each answer
  int chunk_budget = 0;     // tokens of text per chunk
  ChunkPlan chunks;
};

// Budget = context window - prompt overhead - output reserve, less 10% for estimation error,
// capped at options.chunk_tokens. Errors: InputTooLong when the model's window leaves less than
// ChunkOptions::kMinChunkTokens for text; the chunker's errors.
Result<MapReducePlan> plan_map_reduce(std::string_view text, const ModelLimits& limits,
                                      int prompt_overhead, int output_reserve,
                                      const MapReduceOptions& options);

struct MapReduceResult {
  std::string summary;
  int chunks = 0;
  int levels = 0;  // reduce levels (1 = a single combine call)
  std::vector<FailedChunk> failed;
  std::vector<runtime::InvocationRecord> records;  // every call, map and reduce, incl. retries
};

// Runs the whole job for summarize(). Errors: Cancelled; a chunk that failed after its retries
// (when not marking), naming the chunk and the reason; InputTooLong when reducing stops making
// progress or exceeds max_levels.
Result<MapReduceResult> run_map_reduce(const GenerationContext& ctx, std::string_view text,
                                       int paragraphs, const MapReduceOptions& options);

}  // namespace bedrock::content
