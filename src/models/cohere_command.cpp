// Cohere Command / Command Light (docs/wire-protocol.md §7.8).
#include "codec_families.h"
#include "codec_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kCohereCommandApi = "cohere-command";

class CohereCommandCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::CohereCommand; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["prompt"] = plain_transcript(prompt);
    put_sampling(body, params,
                 {.max_tokens = "max_tokens",
                  .temperature = "temperature",
                  .top_p = "p",
                  .top_k = "k",
                  .stop = "stop_sequences"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kCohereCommandApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/generations/0/text", kCohereCommandApi);
    if (!text) return fail(text.error());
    Completion out;
    out.text = std::move(*text);
    out.raw_stop_reason = optional_string(*json, "/generations/0/finish_reason");
    out.stop_reason = map_stop(out.raw_stop_reason, {{"COMPLETE", StopReason::EndTurn},
                                                     {"MAX_TOKENS", StopReason::MaxTokens},
                                                     {"ERROR_TOXIC", StopReason::ContentFiltered}});
    return out;  // usage travels only in the response headers
  }
};

}  // namespace

const ModelCodec& cohere_command_codec() {
  static const CohereCommandCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
