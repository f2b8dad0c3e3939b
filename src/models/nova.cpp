// Amazon Nova, native "messages-v1" schema (docs/wire-protocol.md §7.4).
#include "codec_families.h"
#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kNovaApi = "nova";

StopReason nova_stop(std::string_view raw) {
  return map_stop(raw, {{"end_turn", StopReason::EndTurn},
                        {"max_tokens", StopReason::MaxTokens},
                        {"stop_sequence", StopReason::StopSequence},
                        {"tool_use", StopReason::ToolUse},
                        {"content_filtered", StopReason::ContentFiltered},
                        {"guardrail_intervened", StopReason::ContentFiltered}});
}

class NovaCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::Nova; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["schemaVersion"] = "messages-v1";
    if (!prompt.system.empty()) body["system"] = OJson::array({{{"text", prompt.system}}});
    OJson messages = OJson::array();
    for (const auto& m : prompt.messages) {
      messages.push_back(
          {{"role", role_name(m.role)}, {"content", OJson::array({{{"text", m.text}}})}});
    }
    body["messages"] = std::move(messages);
    // camelCase is the current schema's spelling (the launch schema's max_new_tokens is legacy).
    OJson config = OJson::object();
    put_sampling(config, params,
                 {.max_tokens = "maxTokens",
                  .temperature = "temperature",
                  .top_p = "topP",
                  .top_k = "topK",
                  .stop = "stopSequences"});
    if (!config.empty()) body["inferenceConfig"] = std::move(config);
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kNovaApi);
    if (!json) return fail(json.error());
    const Json* content = at(*json, "/output/message/content");
    if (content == nullptr || !content->is_array()) {
      return fail(ErrorCode::InvalidResponse, "nova response has no /output/message/content");
    }
    Completion out;
    for (const auto& block : *content) {
      const Json* text = at(block, "/text");
      if (text != nullptr && text->is_string()) {
        out.text += text->get<std::string>();
      }
      out.reasoning += optional_string(block, "/reasoningContent/reasoningText/text");
    }
    out.raw_stop_reason = optional_string(*json, "/stopReason");
    out.stop_reason = nova_stop(out.raw_stop_reason);
    if (const Json* usage = at(*json, "/usage"); usage != nullptr) {
      out.usage = token_usage(converse_usage(*usage));
    }
    return out;
  }

  // Each chunk wraps ConverseStream event structures by name: {"contentBlockDelta":{...}}.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    auto json = parse_stream_chunk(chunk_json, state, kNovaApi);
    if (!json) return fail(json.error());
    std::vector<StreamEvent> events;
    for (const auto& [name, payload] : json->items()) {
      if (!payload.is_object()) continue;  // the invocation metrics are read below
      if (name == "amazon-bedrock-invocationMetrics") continue;
      if (auto ok = decode_converse_event(name, payload, nova_stop, events); !ok) {
        return fail(ok.error());
      }
    }
    append_invocation_metrics(*json, events);
    return events;
  }
};

}  // namespace

const ModelCodec& nova_codec() {
  static const NovaCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
