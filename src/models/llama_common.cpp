#include "llama_common.h"

namespace bedrock::models::detail {

std::string llama_body(std::string prompt_text, const InferenceParams& params) {
  OJson body;
  body["prompt"] = std::move(prompt_text);
  put_sampling(body, params,
               {.max_tokens = "max_gen_len", .temperature = "temperature", .top_p = "top_p"});
  return to_body(body);
}

Result<Completion> decode_llama(std::string_view body, std::string_view api) {
  auto json = parse_object(body, api);
  if (!json) return fail(json.error());
  auto text = required_string(*json, "/generation", api);
  if (!text) return fail(text.error());
  Completion out;
  out.text = std::move(*text);
  out.raw_stop_reason = optional_string(*json, "/stop_reason");
  out.stop_reason = map_stop(out.raw_stop_reason,
                             {{"stop", StopReason::EndTurn}, {"length", StopReason::MaxTokens}});
  out.usage = usage_at(*json, "/prompt_token_count", "/generation_token_count");
  return out;
}

}  // namespace bedrock::models::detail
