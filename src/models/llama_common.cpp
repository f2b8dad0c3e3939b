#include "llama_common.h"

#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

StopReason llama_stop(std::string_view raw) {
  return map_stop(raw, {{"stop", StopReason::EndTurn}, {"length", StopReason::MaxTokens}});
}

}  // namespace

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
  out.stop_reason = llama_stop(out.raw_stop_reason);
  out.usage = usage_at(*json, "/prompt_token_count", "/generation_token_count");
  return out;
}

Result<std::vector<StreamEvent>> decode_llama_stream_chunk(std::string_view chunk,
                                                           StreamState& state,
                                                           std::string_view api) {
  auto json = parse_stream_chunk(chunk, state, api);
  if (!json) return fail(json.error());
  std::vector<StreamEvent> events;
  if (auto ok = append_text_at(*json, "/generation", events); !ok) return fail(ok.error());
  if (auto ok = append_stop_at(*json, "/stop_reason", llama_stop, events); !ok) {
    return fail(ok.error());
  }
  if (auto input = optional_count(*json, "/prompt_token_count")) {
    UsageUpdate usage;
    usage.input_tokens = input;
    events.emplace_back(usage);
  }
  append_invocation_metrics(*json, events);
  return events;
}

}  // namespace bedrock::models::detail
