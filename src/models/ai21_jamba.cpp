// AI21 Jamba (Jamba-Instruct, Jamba 1.5 Mini/Large; docs/wire-protocol.md §7.11).
#include "chat_completions.h"
#include "codec_families.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kApi = "ai21-jamba";

class JambaCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::Ai21Jamba; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["messages"] = chat_messages(prompt, "system");
    put_sampling(body, params,
                 {.max_tokens = "max_tokens",
                  .temperature = "temperature",
                  .top_p = "top_p",
                  .stop = "stop"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    return decode_chat_choice(body, kApi);
  }
};

}  // namespace

const ModelCodec& ai21_jamba_codec() {
  static const JambaCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
