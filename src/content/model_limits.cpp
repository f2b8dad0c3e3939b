#include "bedrock/content/model_limits.h"

#include <fmt/format.h>

namespace bedrock::content {

Status check_fits(const ModelLimits& limits, int input_tokens, int output_tokens, bool chunkable) {
  if (limits.max_output_tokens > 0 && output_tokens > limits.max_output_tokens) {
    return fail(ErrorCode::Validation,
                fmt::format("max_tokens {} exceeds the output limit of {} ({} tokens) by {}",
                            output_tokens, limits.model_id, limits.max_output_tokens,
                            output_tokens - limits.max_output_tokens));
  }
  const long long needed = static_cast<long long>(input_tokens) + output_tokens;
  if (limits.context_window > 0 && needed > limits.context_window) {
    const long long over = needed - limits.context_window;
    std::string msg = fmt::format(
        "the request needs about {} tokens ({} input, estimated, + {} reserved for the answer) "
        "but {} accepts {}: {} tokens too long ({:.0f}% over)",
        needed, input_tokens, output_tokens, limits.model_id, limits.context_window, over,
        100.0 * static_cast<double>(over) / limits.context_window);
    msg += chunkable ? "; summarize it in chunks (map-reduce) instead"
                     : "; shorten the input or split it into parts";
    return fail(ErrorCode::InputTooLong, std::move(msg));
  }
  return {};
}

}  // namespace bedrock::content
