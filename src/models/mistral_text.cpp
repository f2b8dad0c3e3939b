// Mistral AI text completion (Mistral 7B, Mixtral, Large 24.02, Small; docs/wire-protocol.md §7.6).
#include "codec_families.h"
#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kMistralTextApi = "mistral-text";

StopReason mistral_stop(std::string_view raw) {
  return map_stop(raw, {{"stop", StopReason::EndTurn},
                        {"length", StopReason::MaxTokens},
                        {"model_length", StopReason::MaxTokens}});
}

class MistralTextCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::MistralText; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    // Mistral's instruct template has no system role; Mistral's own chat template prepends
    // the system prompt to the first user message.
    std::string text = "<s>";
    bool first = true;
    for (const auto& m : prompt.messages) {
      if (m.role == Role::User) {
        text += first ? "[INST] " : " [INST] ";
        if (first && !prompt.system.empty()) text += prompt.system + "\n\n";
        text += m.text + " [/INST]";
        first = false;
      } else {
        text += " " + m.text + "</s>";
      }
    }
    OJson body;
    body["prompt"] = std::move(text);
    if (params.max_tokens) body["max_tokens"] = *params.max_tokens;
    if (!params.stop_sequences.empty()) body["stop"] = params.stop_sequences;
    if (params.temperature) body["temperature"] = *params.temperature;
    if (params.top_p) body["top_p"] = *params.top_p;
    if (params.top_k) body["top_k"] = *params.top_k;
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kMistralTextApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/outputs/0/text", kMistralTextApi);
    if (!text) return fail(text.error());
    Completion out;
    out.text = std::move(*text);
    out.raw_stop_reason = optional_string(*json, "/outputs/0/stop_reason");
    out.stop_reason = mistral_stop(out.raw_stop_reason);
    return out;  // usage travels only in the response headers
  }

  // {"outputs":[{"text","stop_reason"}]}; usage only in the last chunk's invocation metrics.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    auto json = parse_stream_chunk(chunk_json, state, kMistralTextApi);
    if (!json) return fail(json.error());
    std::vector<StreamEvent> events;
    if (auto ok = append_text_at(*json, "/outputs/0/text", events); !ok) return fail(ok.error());
    if (auto ok = append_stop_at(*json, "/outputs/0/stop_reason", mistral_stop, events); !ok) {
      return fail(ok.error());
    }
    append_invocation_metrics(*json, events);
    return events;
  }
};

}  // namespace

const ModelCodec& mistral_text_codec() {
  static const MistralTextCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
