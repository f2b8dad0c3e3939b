#include <fmt/format.h>

#include "bedrock/content/generator_steps.h"

namespace bedrock::content {

Result<TaskCall> summarize_call(const SummarizeInput& input) {
  if (input.paragraphs < 1 || input.paragraphs > 20) {
    return fail(ErrorCode::Validation,
                fmt::format("paragraphs must be between 1 and 20, got {}", input.paragraphs));
  }
  if (input.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fail(ErrorCode::Validation, "nothing to summarize: the text is empty");
  }
  TaskCall call{Task::Summarize, "user", {}, true};
  call.values["text"] = input.text;
  call.values["paragraphs"] = std::to_string(input.paragraphs);
  return call;
}

Summary finish_summary(CallOutput out) {
  Summary s;
  s.text = std::move(out.text);
  s.records.push_back(std::move(out.record));
  return s;
}

Result<Summary> summarize(const GenerationContext& ctx, const SummarizeInput& input,
                          const SummarizeOptions& options) {
  if (auto ok = check_context(ctx); !ok) return fail(ok.error());
  auto call = summarize_call(input);
  if (!call) return fail(call.error());
  if (options.chunking != Chunking::Always) {
    auto out = call_task(ctx, *call);
    if (out) return finish_summary(std::move(*out));
    // Text already shown to the user cannot be taken back by starting over in chunks.
    if (out.error().code != ErrorCode::InputTooLong || options.chunking == Chunking::Never ||
        !out.error().partial_output.empty()) {
      return fail(out.error());
    }
  }
  auto mr = run_map_reduce(ctx, input.text, input.paragraphs, options.map_reduce);
  if (!mr) return fail(mr.error());
  Summary s;
  s.text = std::move(mr->summary);
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
