// Meta Llama 2 and Llama 3.x share the request parameters and the response shape
// (docs/wire-protocol.md §7.5); only the chat template differs.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/models/stream.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// {"prompt", "max_gen_len", "temperature", "top_p"} with only the set fields.
std::string llama_body(std::string prompt_text, const InferenceParams& params);

// generation / stop_reason / prompt_token_count / generation_token_count.
Result<Completion> decode_llama(std::string_view body, std::string_view api);

// {"generation","prompt_token_count","generation_token_count","stop_reason"} stream chunks.
// generation_token_count is not read: captures disagree on whether it counts the chunk or the
// whole answer; the last chunk's invocation metrics carry the total.
Result<std::vector<StreamEvent>> decode_llama_stream_chunk(std::string_view chunk,
                                                           StreamState& state,
                                                           std::string_view api);

}  // namespace bedrock::models::detail
