// OpenAI gpt-oss (docs/wire-protocol.md §7.13): an OpenAI Chat Completions body.
#include "chat_completions.h"
#include "codec_families.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kApi = "openai-gpt-oss";

class GptOssCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::OpenAiGptOss; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    // "system" and "developer" are both accepted; "system" is what Converse maps to.
    body["messages"] = chat_messages(prompt, "system");
    // max_completion_tokens is the current OpenAI name (max_tokens is deprecated there).
    put_sampling(body, params,
                 {.max_tokens = "max_completion_tokens",
                  .temperature = "temperature",
                  .top_p = "top_p",
                  .stop = "stop"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto out = decode_chat_choice(body, kApi);
    if (!out) return out;
    // InvokeModel puts the model's reasoning, in <reasoning> tags, before the answer.
    auto [reasoning, answer] = split_reasoning(out->text, "<reasoning>", "</reasoning>");
    out->reasoning = std::move(reasoning);
    out->text = std::move(answer);
    return out;
  }
};

}  // namespace

const ModelCodec& gpt_oss_codec() {
  static const GptOssCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
