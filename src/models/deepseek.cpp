// DeepSeek-R1 (docs/wire-protocol.md §7.12): a prompt string in DeepSeek's chat template.
#include "codec_families.h"
#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kDeepseekApi = "deepseek";

// DeepSeek's special tokens use U+FF5C (fullwidth bar) and U+2581 (lower one-eighth block).
constexpr std::string_view kBos =
    "<\xEF\xBD\x9C"
    "begin\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
constexpr std::string_view kEos =
    "<\xEF\xBD\x9C"
    "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
constexpr std::string_view kUser =
    "<\xEF\xBD\x9C"
    "User\xEF\xBD\x9C>";
constexpr std::string_view kAssistant =
    "<\xEF\xBD\x9C"
    "Assistant\xEF\xBD\x9C>";

StopReason deepseek_stop(std::string_view raw) {
  return map_stop(raw, {{"stop", StopReason::EndTurn}, {"length", StopReason::MaxTokens}});
}

constexpr std::string_view kThinkEnd = "</think>";

// A text that never closes "</think>" is all answer (decode() reads it so), released with the
// stop reason.
Status take_text(std::string_view text, StreamState& state, std::vector<StreamEvent>& events) {
  return take_inline_reasoning_text(text, "<think>", kThinkEnd, "deepseek", state, events);
}

class DeepSeekCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::DeepSeek; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    // DeepSeek's tokenizer_config chat template: BOS + system, then <User>u / <Assistant>a<EOS>,
    // and the generation prompt "<Assistant><think>\n" as in the AWS example.
    std::string text(kBos);
    text += prompt.system;
    for (const auto& m : prompt.messages) {
      if (m.role == Role::User) {
        text += kUser;
        text += m.text;
      } else {
        text += kAssistant;
        text += m.text;
        text += kEos;
      }
    }
    text += kAssistant;
    text += "<think>\n";
    OJson body;
    body["prompt"] = std::move(text);
    put_sampling(body, params,
                 {.max_tokens = "max_tokens",
                  .temperature = "temperature",
                  .top_p = "top_p",
                  .stop = "stop"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kDeepseekApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/choices/0/text", kDeepseekApi);
    if (!text) return fail(text.error());
    Completion out;
    // The prompt opened <think>, so the text is "reasoning</think>answer".
    auto [reasoning, answer] = split_reasoning(*text, "<think>", "</think>");
    out.reasoning = std::move(reasoning);
    out.text = std::move(answer);
    out.raw_stop_reason = optional_string(*json, "/choices/0/stop_reason");
    out.stop_reason = deepseek_stop(out.raw_stop_reason);
    return out;  // usage travels only in the response headers
  }

  // {"choices":[{"text","stop_reason"}]}, as the response body.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    auto json = parse_stream_chunk(chunk_json, state, kDeepseekApi);
    if (!json) return fail(json.error());
    std::vector<StreamEvent> events;
    auto text = stream_string(*json, "/choices/0/text", kDeepseekApi);
    if (!text) return fail(text.error());
    if (*text) {
      if (auto ok = take_text(**text, state, events); !ok) return fail(ok.error());
    }
    std::vector<StreamEvent> stop;
    if (auto ok = append_stop_at(*json, "/choices/0/stop_reason", deepseek_stop, stop); !ok) {
      return fail(ok.error());
    }
    if (!stop.empty() && !state.past_reasoning) {
      append_text(std::move(state.held), events);
      state.held.clear();
    }
    for (auto& event : stop) events.push_back(std::move(event));
    append_invocation_metrics(*json, events);
    return events;
  }
};

}  // namespace

const ModelCodec& deepseek_codec() {
  static const DeepSeekCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
