// AI21 Jurassic-2 Mid / Ultra (docs/wire-protocol.md §7.10).
#include "codec_families.h"
#include "codec_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kAi21JurassicApi = "ai21-jurassic";

class JurassicCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::Ai21Jurassic; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["prompt"] = plain_transcript(prompt);
    put_sampling(body, params,
                 {.max_tokens = "maxTokens",
                  .temperature = "temperature",
                  .top_p = "topP",
                  .stop = "stopSequences"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kAi21JurassicApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/completions/0/data/text", kAi21JurassicApi);
    if (!text) return fail(text.error());
    Completion out;
    out.text = std::move(*text);
    out.raw_stop_reason = optional_string(*json, "/completions/0/finishReason/reason");
    out.stop_reason = map_stop(out.raw_stop_reason, {{"endoftext", StopReason::EndTurn},
                                                     {"length", StopReason::MaxTokens},
                                                     {"stop", StopReason::StopSequence}});
    // Token lists are the only counts in this body; they are counts when present.
    const Json* prompt_tokens = at(*json, "/prompt/tokens");
    const Json* output_tokens = at(*json, "/completions/0/data/tokens");
    if (prompt_tokens != nullptr && output_tokens != nullptr && prompt_tokens->is_array() &&
        output_tokens->is_array() && !output_tokens->empty()) {
      out.usage.input_tokens = static_cast<int>(prompt_tokens->size());
      out.usage.output_tokens = static_cast<int>(output_tokens->size());
      out.usage.reported = true;
    }
    return out;
  }
};

}  // namespace

const ModelCodec& ai21_jurassic_codec() {
  static const JurassicCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
