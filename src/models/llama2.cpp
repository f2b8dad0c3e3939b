// Meta Llama 2 chat (docs/wire-protocol.md §7.5): the [INST]/<<SYS>> template.
#include "codec_families.h"
#include "llama_common.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kLlama2Api = "llama2";

class Llama2Codec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::Llama2; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    // Each exchange is "<s>[INST] user [/INST] answer </s>"; the system block sits inside the
    // first [INST], as Meta's reference chat_completion() builds it.
    std::string text;
    bool first = true;
    for (const auto& m : prompt.messages) {
      if (m.role == Role::User) {
        text += "<s>[INST] ";
        if (first && !prompt.system.empty()) {
          text += "<<SYS>>\n" + prompt.system + "\n<</SYS>>\n\n";
        }
        first = false;
        text += m.text + " [/INST]";
      } else {
        text += " " + m.text + " </s>";
      }
    }
    return llama_body(std::move(text), params);
  }

  Result<Completion> decode(std::string_view body) const override {
    return decode_llama(body, kLlama2Api);
  }

  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    return decode_llama_stream_chunk(chunk_json, state, kLlama2Api);
  }
};

}  // namespace

const ModelCodec& llama2_codec() {
  static const Llama2Codec codec;
  return codec;
}

}  // namespace bedrock::models::detail
