// Anthropic Claude Messages API on Bedrock (reference §7.1).
#include "codec_families.h"
#include "codec_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kApi = "anthropic-messages";

class AnthropicMessagesCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::AnthropicMessages; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["anthropic_version"] = "bedrock-2023-05-31";
    body["max_tokens"] = required_max_tokens(params, model);
    if (!prompt.system.empty()) body["system"] = prompt.system;
    OJson messages = OJson::array();
    for (const auto& m : prompt.messages) {
      OJson block;
      block["type"] = "text";
      block["text"] = m.text;
      messages.push_back({{"role", role_name(m.role)}, {"content", OJson::array({block})}});
    }
    body["messages"] = std::move(messages);
    if (params.temperature) body["temperature"] = *params.temperature;
    if (params.top_p) body["top_p"] = *params.top_p;
    if (params.top_k) body["top_k"] = *params.top_k;
    if (!params.stop_sequences.empty()) body["stop_sequences"] = params.stop_sequences;
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kApi);
    if (!json) return fail(json.error());
    const Json* content = at(*json, "/content");
    if (content == nullptr || !content->is_array()) {
      return fail(ErrorCode::InvalidResponse, "anthropic-messages response has no content array");
    }
    Completion out;
    // Thinking and tool_use blocks may precede or follow the text; the answer is every text
    // block in order.
    for (const auto& block : *content) {
      if (!block.is_object()) continue;
      const std::string type = optional_string(block, "/type");
      if (type == "text") {
        const Json* text = at(block, "/text");
        if (text == nullptr || !text->is_string()) {
          return fail(ErrorCode::InvalidResponse,
                      "anthropic-messages response has a text block without text");
        }
        out.text += text->get<std::string>();
      } else if (type == "thinking") {
        out.reasoning += optional_string(block, "/thinking");
      }
    }
    out.raw_stop_reason = optional_string(*json, "/stop_reason");
    out.stop_reason =
        map_stop(out.raw_stop_reason, {{"end_turn", StopReason::EndTurn},
                                       {"max_tokens", StopReason::MaxTokens},
                                       {"stop_sequence", StopReason::StopSequence},
                                       {"tool_use", StopReason::ToolUse},
                                       {"refusal", StopReason::ContentFiltered},
                                       {"model_context_window_exceeded", StopReason::MaxTokens}});
    out.usage = usage_at(*json, "/usage/input_tokens", "/usage/output_tokens");
    return out;
  }
};

}  // namespace

const ModelCodec& anthropic_messages_codec() {
  static const AnthropicMessagesCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
