#include <fmt/format.h>

#include "bedrock/content/generator_steps.h"

namespace bedrock::content {

Result<TaskCall> summarize_call(const SummarizeInput& input) {
  if (input.paragraphs < 1 || input.paragraphs > 20) {
    return fail(ErrorCode::Validation,
                fmt::format("paragraphs must be between 1 and 20, got {}", input.paragraphs));
  }
  const bool no_text = input.text.find_first_not_of(" \t\r\n") == std::string::npos;
  if (no_text && input.attachments.empty()) {
    return fail(ErrorCode::Validation, "nothing to summarize: the text is empty");
  }
  // Map-reduce splits text; attachments cannot be split, so such a call is not chunkable.
  TaskCall call{Task::Summarize, no_text ? "attached" : "user", {}, input.attachments.empty()};
  call.values["text"] = input.text;
  call.attachments = input.attachments;
  call.values["paragraphs"] = std::to_string(input.paragraphs);
  call.values["length_limit"] = length_limit_phrase(input.max_words);
  return call;
}

Summary finish_summary(CallOutput out, int max_words) {
  Summary s;
  s.text = cut_to_words(out.text, max_words);
  s.cut = s.text.size() != out.text.size();
  s.records.push_back(std::move(out.record));
  return s;
}

std::string length_limit_phrase(int max_words) {
  return max_words > 0 ? fmt::format(" of at most {} words in total", max_words) : std::string();
}

std::string cut_to_words(std::string_view text, int max_words) {
  if (max_words <= 0 || count_words(text) <= max_words) return std::string(text);
  // Byte offset just past the max_words-th word.
  std::size_t end = 0;
  int words = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word && ++words > max_words) break;
    in_word = !space;
    if (!space) end = i + 1;
  }
  const std::string_view head = text.substr(0, end);
  for (std::size_t i = head.size(); i > 0; --i) {
    const char c = head[i - 1];
    if (c == '.' || c == '!' || c == '?') return std::string(head.substr(0, i));
  }
  return std::string(head) + "\xE2\x80\xA6";  // …
}

Result<Summary> summarize(const GenerationContext& ctx, const SummarizeInput& input,
                          const SummarizeOptions& options) {
  if (auto ok = check_context(ctx); !ok) return fail(ok.error());
  auto call = summarize_call(input);
  if (!call) return fail(call.error());
  if (!input.attachments.empty() && options.chunking == Chunking::Always) {
    return fail(ErrorCode::Validation,
                "a summary in chunks reads text only: remove the attachments or the chunking");
  }
  if (options.chunking != Chunking::Always) {
    auto out = call_task(ctx, *call);
    if (out) return finish_summary(std::move(*out), input.max_words);
    // Text already shown to the user cannot be taken back by starting over in chunks.
    if (out.error().code != ErrorCode::InputTooLong || options.chunking == Chunking::Never ||
        !input.attachments.empty() || !out.error().partial_output.empty()) {
      return fail(out.error());
    }
  }
  MapReduceOptions map_reduce = options.map_reduce;
  map_reduce.max_words = input.max_words;
  auto mr = run_map_reduce(ctx, input.text, input.paragraphs, map_reduce);
  if (!mr) return fail(mr.error());
  Summary s;
  s.text = cut_to_words(mr->summary, input.max_words);
  s.cut = s.text.size() != mr->summary.size();
  s.chunked = true;
  s.chunks = mr->chunks;
  s.reduce_levels = mr->levels;
  s.failed_chunks = std::move(mr->failed);
  s.records = std::move(mr->records);
  return s;
}

Result<Summary> summarize(const GenerationContext& ctx, const SummarizeInput& input) {
  if (auto ok = check_context(ctx); !ok) return fail(ok.error());
  SummarizeOptions o;
  o.map_reduce = MapReduceOptions::from_config(ctx.config->map_reduce);
  return summarize(ctx, input, o);
}

}  // namespace bedrock::content
