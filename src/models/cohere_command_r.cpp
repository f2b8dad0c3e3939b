// Cohere Command R / R+ (docs/wire-protocol.md §7.9): preamble + chat_history + message.
#include "codec_families.h"
#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kCohereCommandRApi = "cohere-command-r";

StopReason cohere_r_stop(std::string_view raw) {
  return map_stop(raw, {{"COMPLETE", StopReason::EndTurn},
                        {"STOP_SEQUENCE", StopReason::StopSequence},
                        {"MAX_TOKENS", StopReason::MaxTokens},
                        {"ERROR_LIMIT", StopReason::MaxTokens},
                        {"ERROR_TOXIC", StopReason::ContentFiltered}});
}

class CohereCommandRCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::CohereCommandR; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["message"] = prompt.messages.back().text;
    if (prompt.messages.size() > 1) {
      OJson history = OJson::array();
      for (std::size_t i = 0; i + 1 < prompt.messages.size(); ++i) {
        const auto& m = prompt.messages[i];
        history.push_back(
            {{"role", m.role == Role::User ? "USER" : "CHATBOT"}, {"message", m.text}});
      }
      body["chat_history"] = std::move(history);
    }
    if (!prompt.system.empty()) body["preamble"] = prompt.system;
    put_sampling(body, params,
                 {.max_tokens = "max_tokens",
                  .temperature = "temperature",
                  .top_p = "p",
                  .top_k = "k",
                  .stop = "stop_sequences"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kCohereCommandRApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/text", kCohereCommandRApi);
    if (!text) return fail(text.error());
    Completion out;
    out.text = std::move(*text);
    out.raw_stop_reason = optional_string(*json, "/finish_reason");
    out.stop_reason = cohere_r_stop(out.raw_stop_reason);
    // Cohere's chat response may carry meta.billed_units; Bedrock's captures do not always.
    out.usage =
        usage_at(*json, "/meta/billed_units/input_tokens", "/meta/billed_units/output_tokens");
    return out;
  }

  // Cohere's chat stream events: "text-generation" carries a piece of text, the last one
  // ("stream-end", is_finished true) the finish reason and the invocation metrics.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    auto json = parse_stream_chunk(chunk_json, state, kCohereCommandRApi);
    if (!json) return fail(json.error());
    std::vector<StreamEvent> events;
    if (optional_string(*json, "/event_type") == "text-generation") {
      if (auto ok = append_text_at(*json, "/text", events); !ok) return fail(ok.error());
    }
    const Json* finished = at(*json, "/is_finished");
    if (finished != nullptr && finished->is_boolean() && finished->get<bool>()) {
      if (auto ok = append_stop_at(*json, "/finish_reason", cohere_r_stop, events); !ok) {
        return fail(ok.error());
      }
    }
    append_invocation_metrics(*json, events);
    return events;
  }
};

}  // namespace

const ModelCodec& cohere_command_r_codec() {
  static const CohereCommandRCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
