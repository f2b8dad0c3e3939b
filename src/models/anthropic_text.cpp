// Anthropic Claude legacy Text Completions (Claude 2 / 2.1 / Instant; docs/wire-protocol.md §7.2).
#include "codec_families.h"
#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kAnthropicTextApi = "anthropic-text";
constexpr std::string_view kHumanTurn = "\n\nHuman:";

// The model ends its turn by emitting "\n\nHuman:", which the text API reports as a stop
// sequence; that is a natural end, not a caller's stop sequence.
StopReason text_stop(std::string_view raw, std::string_view stop) {
  StopReason reason = map_stop(raw, {{"stop_sequence", StopReason::StopSequence},
                                     {"max_tokens", StopReason::MaxTokens},
                                     {"end_turn", StopReason::EndTurn}});
  if (reason == StopReason::StopSequence && (stop.empty() || stop == kHumanTurn)) {
    reason = StopReason::EndTurn;
  }
  return reason;
}

class AnthropicTextCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::AnthropicText; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    // Claude 2.1 reads text before the first "\n\nHuman:" as the system prompt.
    std::string text = prompt.system;
    for (const auto& m : prompt.messages) {
      text += m.role == Role::User ? "\n\nHuman: " : "\n\nAssistant: ";
      text += m.text;
    }
    text += "\n\nAssistant:";
    OJson body;
    body["prompt"] = std::move(text);
    body["max_tokens_to_sample"] = required_max_tokens(params, model);
    put_sampling(body, params,
                 {.temperature = "temperature",
                  .top_p = "top_p",
                  .top_k = "top_k",
                  .stop = "stop_sequences"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kAnthropicTextApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/completion", kAnthropicTextApi);
    if (!text) return fail(text.error());
    Completion out;
    out.text = std::move(*text);
    out.raw_stop_reason = optional_string(*json, "/stop_reason");
    out.stop_reason = text_stop(out.raw_stop_reason, optional_string(*json, "/stop"));
    return out;  // this API reports no usage in the body (headers carry it)
  }

  // {"completion","stop_reason","stop"}, the reason null until the last chunk.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    auto json = parse_stream_chunk(chunk_json, state, kAnthropicTextApi);
    if (!json) return fail(json.error());
    std::vector<StreamEvent> events;
    if (auto ok = append_text_at(*json, "/completion", events); !ok) return fail(ok.error());
    auto raw = stream_string(*json, "/stop_reason", kAnthropicTextApi);
    if (!raw) return fail(raw.error());
    if (*raw) {
      MessageStop stop;
      stop.reason = text_stop(**raw, optional_string(*json, "/stop"));
      stop.raw_reason = std::move(**raw);
      events.emplace_back(std::move(stop));
    }
    append_invocation_metrics(*json, events);
    return events;
  }
};

}  // namespace

const ModelCodec& anthropic_text_codec() {
  static const AnthropicTextCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
