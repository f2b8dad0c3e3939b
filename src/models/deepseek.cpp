// DeepSeek-R1 (docs/wire-protocol.md §7.12): a prompt string in DeepSeek's chat template.
#include "codec_families.h"
#include "codec_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kApi = "deepseek";

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
    auto json = parse_object(body, kApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/choices/0/text", kApi);
    if (!text) return fail(text.error());
    Completion out;
    // The prompt opened <think>, so the text is "reasoning</think>answer".
    auto [reasoning, answer] = split_reasoning(*text, "<think>", "</think>");
    out.reasoning = std::move(reasoning);
    out.text = std::move(answer);
    out.raw_stop_reason = optional_string(*json, "/choices/0/stop_reason");
    out.stop_reason = map_stop(out.raw_stop_reason,
                               {{"stop", StopReason::EndTurn}, {"length", StopReason::MaxTokens}});
    return out;  // usage travels only in the response headers
  }
};

}  // namespace

const ModelCodec& deepseek_codec() {
  static const DeepSeekCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
