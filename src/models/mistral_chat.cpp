// Mistral AI chat completion (Mistral Large 24.07; docs/wire-protocol.md §7.7).
#include "chat_completions.h"
#include "codec_families.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kMistralChatApi = "mistral-chat";

class MistralChatCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::MistralChat; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["messages"] = chat_messages(prompt, "system");
    put_sampling(body, params,
                 {.max_tokens = "max_tokens", .temperature = "temperature", .top_p = "top_p"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    return decode_chat_choice(body, kMistralChatApi);
  }

  // Chat-completion chunks (docs/wire-protocol.md §7): a piece of the content each, the stop
  // and the invocation metrics on the last.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    return decode_chat_chunk(chunk_json, state, kMistralChatApi, "/choices/0/message/content");
  }
};

}  // namespace

const ModelCodec& mistral_chat_codec() {
  static const MistralChatCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
