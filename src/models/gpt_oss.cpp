// OpenAI gpt-oss (docs/wire-protocol.md §7.13): an OpenAI Chat Completions body.
#include "chat_completions.h"
#include "codec_families.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kGptOssApi = "openai-gpt-oss";
constexpr std::string_view kReasoningEnd = "</reasoning>";

Status take_content(std::string_view text, StreamState& state, std::vector<StreamEvent>& events) {
  return take_inline_reasoning_text(text, "<reasoning>", kReasoningEnd, "gpt-oss", state, events);
}

// A content that never closed its reasoning is all answer (decode() reads it so).
Status release_held(std::string_view, StreamState& state, std::vector<StreamEvent>& events) {
  if (!state.past_reasoning && !state.held.empty()) {
    append_text(std::move(state.held), events);
    state.held.clear();
  }
  return {};
}

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
    auto out = decode_chat_choice(body, kGptOssApi);
    if (!out) return out;
    // InvokeModel puts the model's reasoning, in <reasoning> tags, before the answer.
    auto [reasoning, answer] = split_reasoning(out->text, "<reasoning>", "</reasoning>");
    out->reasoning = std::move(reasoning);
    out->text = std::move(answer);
    return out;
  }

  // chat.completion.chunk objects: choices[0].delta.content pieces of the same content, the
  // finish reason and the invocation metrics on the last.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    return decode_chat_chunk(chunk_json, state, kGptOssApi, "/choices/0/delta/content",
                             take_content, release_held);
  }
};

}  // namespace

const ModelCodec& gpt_oss_codec() {
  static const GptOssCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
