// Meta Llama 3 / 3.1 / 3.2 / 3.3 instruct (docs/wire-protocol.md §7.5): header-token template.
#include "codec_families.h"
#include "llama_common.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kLlama3Api = "llama3";

void append_turn(std::string& text, std::string_view role, std::string_view content) {
  text += "<|start_header_id|>";
  text += role;
  text += "<|end_header_id|>\n\n";
  text += content;
  text += "<|eot_id|>";
}

class Llama3Codec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::Llama3; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    std::string text = "<|begin_of_text|>";
    if (!prompt.system.empty()) append_turn(text, "system", prompt.system);
    for (const auto& m : prompt.messages) append_turn(text, role_name(m.role), m.text);
    text += "<|start_header_id|>assistant<|end_header_id|>\n\n";
    return llama_body(std::move(text), params);
  }

  Result<Completion> decode(std::string_view body) const override {
    return decode_llama(body, kLlama3Api);
  }

  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    return decode_llama_stream_chunk(chunk_json, state, kLlama3Api);
  }
};

}  // namespace

const ModelCodec& llama3_codec() {
  static const Llama3Codec codec;
  return codec;
}

}  // namespace bedrock::models::detail
